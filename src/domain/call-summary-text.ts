/**
 * The written confirmation of what was agreed on the phone, with the case-status link where the customer
 * confirms or corrects it. Plain words, no formula; the time is named because a next step without one is a wish.
 */
export function callSummaryText(input: { locale: 'nl' | 'en'; timeZone: string; summary: string; nextStep: string; dueAt: Date; link: string; name?: string | null }): string {
  const nl = input.locale === 'nl';
  const when = new Intl.DateTimeFormat(nl ? 'nl-NL' : 'en-GB', { timeZone: input.timeZone, weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(input.dueAt);
  const hi = input.name ? (nl ? `Hoi ${input.name}, ` : `Hi ${input.name}, `) : nl ? 'Hoi, ' : 'Hi, ';
  const step = input.nextStep ? (nl ? ` Volgende stap: ${input.nextStep} — uiterlijk ${when}.` : ` Next step: ${input.nextStep} — by ${when}.`) : nl ? ` Uiterlijk ${when} hoor je van ons.` : ` You will hear from us by ${when}.`;
  const lead = nl ? 'zoals we aan de telefoon afspraken:' : 'as we agreed on the phone:';
  const check = nl ? `Klopt dit? ${input.link}` : `Is this right? ${input.link}`;
  return `${hi}${lead} ${input.summary.trim()}${step}\n${check}`;
}
