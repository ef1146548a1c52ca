/** Texts of the certainty features (reply coach, promise badge, incidents), Dutch and English with the same keys. */
export const certaintyEn = {
  coach: {
    title: 'Reply coach',
    stock_phrase: 'Stock phrase: “{{phrase}}”. Say it in your own words, e.g. “{{suggestion}}”.',
    vague_promise: 'Vague promise: “{{phrase}}”. Name a time, e.g. “{{suggestion}}”.',
    no_next_step: 'No next step or time: tell the customer what happens next and when.',
    unanswered_question: 'The customer asked about: {{words}}. Your reply does not mention it.',
    apply: 'Use suggested rewrite',
    advice: 'Advice only: you can always send.',
  },
  promise: {
    badge: 'Promised {{when}}',
    on_track: 'On track',
    at_risk: 'At risk',
    will_miss: 'Will be missed',
    missed: 'Missed',
    kept: 'Kept',
    proposalTitle: 'This promise will be missed. Send a new realistic time?',
    sendProposal: 'Send this message',
    sent: 'Sent.',
    incident: 'Linked to incident: {{title}}',
    useSuggestion: 'Suggested reply: {{text}}',
  },
};

export const certaintyNl: typeof certaintyEn = {
  coach: {
    title: 'Antwoordcoach',
    stock_phrase: 'Standaardzin: “{{phrase}}”. Zeg het in je eigen woorden, bijvoorbeeld “{{suggestion}}”.',
    vague_promise: 'Vage belofte: “{{phrase}}”. Noem een tijd, bijvoorbeeld “{{suggestion}}”.',
    no_next_step: 'Geen vervolgstap of tijd: vertel de klant wat er nu gebeurt en wanneer.',
    unanswered_question: 'De klant vroeg naar: {{words}}. Je antwoord gaat daar niet op in.',
    apply: 'Voorgestelde tekst gebruiken',
    advice: 'Alleen advies: versturen kan altijd.',
  },
  promise: {
    badge: 'Beloofd {{when}}',
    on_track: 'Op schema',
    at_risk: 'In gevaar',
    will_miss: 'Wordt niet gehaald',
    missed: 'Niet gehaald',
    kept: 'Gehaald',
    proposalTitle: 'Deze belofte wordt niet gehaald. Een nieuwe, haalbare tijd sturen?',
    sendProposal: 'Dit bericht versturen',
    sent: 'Verstuurd.',
    incident: 'Gekoppeld aan storing: {{title}}',
    useSuggestion: 'Voorgesteld antwoord: {{text}}',
  },
};
