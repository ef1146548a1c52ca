/**
 * Prepared incident communication: per scenario, ready texts for every surface (site banner, SMS, e-mail,
 * WhatsApp template, phone-queue message, update, resolution) in Dutch and English, with {variables} the team
 * fills in when declaring. Prepared texts are what lets a team inform everyone within minutes.
 */
import { variableText, type IncidentVariable } from './incident-variables';

export const scenarios = ['power_outage', 'service_disruption', 'bad_weather', 'cable_break', 'delivery_delay'] as const;
export type Scenario = (typeof scenarios)[number];
export type IncidentLocale = 'nl' | 'en';
export const textKeys = ['title', 'banner', 'sms', 'email_subject', 'email', 'whatsapp', 'ivr', 'update', 'resolution'] as const;
export type TextKey = (typeof textKeys)[number];
export type TextSet = Record<TextKey, string>;

export const defaultTemplates: Record<Scenario, Record<IncidentLocale, TextSet>> = {
  power_outage: {
    nl: {
      title: 'Stroomuitval {area}',
      banner: 'Stroomuitval in {area}. We werken eraan; naar verwachting is de stroom {expected} terug. Je hoeft het niet te melden.',
      sms: 'Stroomuitval in {area}. We werken eraan, verwacht herstel {expected}. Je hoeft niet te bellen; we sturen een sms zodra het is opgelost.',
      email_subject: 'Stroomuitval in {area}: wat we doen en wanneer',
      email:
        'Hoi {name},\n\nIn {area} is de stroom uitgevallen. Onze monteurs zijn ter plaatse en verwachten dat de stroom {expected} terug is.\n\nJe hoeft de storing niet te melden; we weten ervan. Zodra alles weer werkt, laten we het je weten.\n\nWerkt iets daarna nog niet? Antwoord dan op deze mail.',
      whatsapp: 'Hoi {name}, in {area} is de stroom uitgevallen. We verwachten herstel {expected}. Je hoeft niets te melden; we laten het je weten als het is opgelost.',
      ivr: 'Er is een stroomuitval in {area}. We verwachten dat de stroom {expected} terug is. U hoeft de storing niet te melden.',
      update: 'Update over de stroomuitval in {area}: {update}',
      resolution: 'De stroomuitval in {area} is opgelost. Werkt er bij jou nog iets niet? Antwoord dan op dit bericht, dan kijken we met je mee.',
    },
    en: {
      title: 'Power outage {area}',
      banner: 'Power outage in {area}. We are on it and expect power back {expected}. No need to report it.',
      sms: 'Power outage in {area}. We are working on it, expected fix {expected}. No need to call; we will text you once it is fixed.',
      email_subject: 'Power outage in {area}: what we are doing and when',
      email:
        'Hi {name},\n\nThe power is out in {area}. Our engineers are on site and expect power back {expected}.\n\nYou do not need to report it; we know. We will let you know as soon as everything works again.\n\nStill something not working afterwards? Just reply to this e-mail.',
      whatsapp: 'Hi {name}, the power is out in {area}. We expect it back {expected}. No need to report it; we will tell you when it is fixed.',
      ivr: 'There is a power outage in {area}. We expect power back {expected}. You do not need to report it.',
      update: 'Update on the power outage in {area}: {update}',
      resolution: 'The power outage in {area} is over. Anything still not working for you? Reply to this message and we will look at it with you.',
    },
  },
  service_disruption: {
    nl: {
      title: 'Storing {product}',
      banner: 'Storing in {product} ({area}). We weten ervan en verwachten dat het {expected} weer werkt.',
      sms: 'Storing in {product} in {area}. We werken eraan, verwacht herstel {expected}. Je hoeft het niet te melden.',
      email_subject: 'Storing in {product}: verwacht herstel {expected}',
      email:
        'Hoi {name},\n\nEr is een storing in {product} in {area}. We weten ervan en verwachten dat het {expected} weer werkt.\n\nJe hoeft de storing niet te melden. We laten het je weten zodra het is opgelost.',
      whatsapp: 'Hoi {name}, er is een storing in {product} ({area}). Verwacht herstel {expected}. We laten het je weten als het weer werkt.',
      ivr: 'Er is een storing in {product} in {area}. We verwachten dat het {expected} weer werkt. U hoeft de storing niet te melden.',
      update: 'Update over de storing in {product}: {update}',
      resolution: 'De storing in {product} is opgelost. Merk je er nog iets van? Antwoord op dit bericht.',
    },
    en: {
      title: '{product} disruption',
      banner: 'Disruption in {product} ({area}). We know and expect it to work again {expected}.',
      sms: 'Disruption in {product} in {area}. We are working on it, expected fix {expected}. No need to report it.',
      email_subject: '{product} disruption: expected fix {expected}',
      email:
        'Hi {name},\n\nThere is a disruption in {product} in {area}. We know about it and expect it to work again {expected}.\n\nYou do not need to report it. We will let you know once it is fixed.',
      whatsapp: 'Hi {name}, there is a disruption in {product} ({area}). Expected fix {expected}. We will tell you when it works again.',
      ivr: 'There is a disruption in {product} in {area}. We expect it to work again {expected}. You do not need to report it.',
      update: 'Update on the {product} disruption: {update}',
      resolution: 'The {product} disruption is fixed. Still noticing something? Reply to this message.',
    },
  },
  bad_weather: {
    nl: {
      title: 'Slecht weer {area}',
      banner: 'Door het weer in {area} lopen afspraken en leveringen vertraging op. We verwachten {expected} weer normaal te werken.',
      sms: 'Door het slechte weer in {area} lopen we vertraging op. We verwachten {expected} weer normaal te werken. Je hoeft niet te bellen.',
      email_subject: 'Slecht weer: wat het betekent voor je afspraak',
      email:
        'Hoi {name},\n\nDoor het weer in {area} kunnen onze monteurs en bezorgers niet veilig de weg op. Afspraken en leveringen schuiven daardoor op; we verwachten {expected} weer normaal te werken.\n\nWe nemen zelf contact met je op voor een nieuwe afspraak. Je hoeft niets te doen.',
      whatsapp: 'Hoi {name}, door het weer in {area} lopen we vertraging op. We verwachten {expected} weer normaal te werken en plannen je afspraak dan opnieuw.',
      ivr: 'Door het weer in {area} lopen afspraken en leveringen vertraging op. We nemen zelf contact met u op voor een nieuwe afspraak.',
      update: 'Update over het weer in {area}: {update}',
      resolution: 'We werken in {area} weer normaal. Heb je nog geen nieuwe afspraak? Antwoord op dit bericht, dan plannen we die meteen.',
    },
    en: {
      title: 'Bad weather {area}',
      banner: 'Because of the weather in {area}, appointments and deliveries are delayed. We expect to be back to normal {expected}.',
      sms: 'Bad weather in {area} is delaying us. We expect to be back to normal {expected}. No need to call.',
      email_subject: 'Bad weather: what it means for your appointment',
      email:
        'Hi {name},\n\nBecause of the weather in {area} our engineers and drivers cannot travel safely. Appointments and deliveries move; we expect to be back to normal {expected}.\n\nWe will contact you ourselves for a new appointment. You do not need to do anything.',
      whatsapp: 'Hi {name}, the weather in {area} is delaying us. We expect to be back to normal {expected} and will reschedule your appointment then.',
      ivr: 'Because of the weather in {area}, appointments and deliveries are delayed. We will contact you ourselves for a new appointment.',
      update: 'Update on the weather in {area}: {update}',
      resolution: 'We are back to normal in {area}. No new appointment yet? Reply to this message and we will plan one right away.',
    },
  },
  cable_break: {
    nl: {
      title: 'Kabelbreuk {area}',
      banner: 'Kabelbreuk in {area}: internet en tv werken daar niet. De reparatie duurt naar verwachting tot {expected}.',
      sms: 'Kabelbreuk in {area}. Monteurs graven de kabel op; verwacht herstel {expected}. Je hoeft het niet te melden.',
      email_subject: 'Kabelbreuk in {area}: herstel verwacht {expected}',
      email:
        'Hoi {name},\n\nIn {area} is een kabel beschadigd, waardoor internet en tv niet werken. De monteurs moeten de kabel opgraven en repareren; we verwachten dat alles {expected} weer werkt.\n\nMoet je intussen online zijn? Antwoord op deze mail, dan sturen we je een 4G-dongle.',
      whatsapp: 'Hoi {name}, door een kabelbreuk in {area} werken internet en tv niet. Verwacht herstel {expected}. Intussen online moeten? Antwoord hier voor een 4G-dongle.',
      ivr: 'Door een kabelbreuk in {area} werken internet en tv niet. We verwachten herstel {expected}. U hoeft de storing niet te melden.',
      update: 'Update over de kabelbreuk in {area}: {update}',
      resolution: 'De kabel in {area} is gerepareerd; internet en tv werken weer. Nog problemen? Zet je modem even uit en aan, en antwoord op dit bericht als het dan nog niet werkt.',
    },
    en: {
      title: 'Cable break {area}',
      banner: 'Cable break in {area}: internet and TV are down there. The repair is expected to take until {expected}.',
      sms: 'Cable break in {area}. Engineers are digging up the cable; expected fix {expected}. No need to report it.',
      email_subject: 'Cable break in {area}: fix expected {expected}',
      email:
        'Hi {name},\n\nA cable was damaged in {area}, so internet and TV are down. Our engineers need to dig up and repair the cable; we expect everything to work again {expected}.\n\nNeed to be online meanwhile? Reply to this e-mail and we will send you a 4G dongle.',
      whatsapp: 'Hi {name}, a cable break in {area} took internet and TV down. Expected fix {expected}. Need to be online meanwhile? Reply here for a 4G dongle.',
      ivr: 'A cable break in {area} took internet and TV down. We expect a fix {expected}. You do not need to report it.',
      update: 'Update on the cable break in {area}: {update}',
      resolution: 'The cable in {area} is repaired; internet and TV work again. Still trouble? Restart your modem, and reply to this message if that does not help.',
    },
  },
  delivery_delay: {
    nl: {
      title: 'Leveringsvertraging {product}',
      banner: 'Bestellingen van {product} worden later geleverd dan gepland. Je bestelling komt naar verwachting {expected}.',
      sms: 'Je bestelling van {product} komt later dan gepland, naar verwachting {expected}. Je hoeft niets te doen; je krijgt een track & trace zodra hij onderweg is.',
      email_subject: 'Je bestelling komt later: naar verwachting {expected}',
      email:
        'Hoi {name},\n\nJe bestelling van {product} komt later dan we hadden beloofd. Dat spijt ons. We verwachten hem {expected} te leveren.\n\nJe krijgt een track & trace zodra hij onderweg is. Wil je liever annuleren? Antwoord op deze mail, dan regelen we het.',
      whatsapp: 'Hoi {name}, je bestelling van {product} komt later: naar verwachting {expected}. Liever annuleren? Antwoord hier, dan regelen we het.',
      ivr: 'Bestellingen van {product} worden later geleverd, naar verwachting {expected}. U ontvangt een track and trace zodra uw bestelling onderweg is.',
      update: 'Update over je bestelling van {product}: {update}',
      resolution: 'De vertraging is voorbij: bestellingen van {product} worden weer op tijd geleverd. Nog niets ontvangen? Antwoord op dit bericht.',
    },
    en: {
      title: '{product} delivery delay',
      banner: 'Orders of {product} are delivered later than planned. Your order is expected {expected}.',
      sms: 'Your {product} order is later than planned, expected {expected}. Nothing to do; you will get a tracking link once it ships.',
      email_subject: 'Your order is delayed: expected {expected}',
      email:
        'Hi {name},\n\nYour {product} order is later than we promised, and we are sorry. We expect to deliver it {expected}.\n\nYou will get a tracking link once it ships. Prefer to cancel? Reply to this e-mail and we will sort it out.',
      whatsapp: 'Hi {name}, your {product} order is delayed: expected {expected}. Prefer to cancel? Reply here and we will sort it out.',
      ivr: 'Orders of {product} are delivered later, expected {expected}. You will receive a tracking link once your order ships.',
      update: 'Update on your {product} order: {update}',
      resolution: 'The delay is over: {product} orders are on time again. Still nothing received? Reply to this message.',
    },
  },
};

/** Variables filled per contact when sending, not when declaring. */
const PER_CONTACT = new Set(['name']);

export function variablesIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))];
}

/** Templates merged with a workspace's edits (only the texts it changed). */
export function templateFor(
  scenario: string,
  overrides: Record<string, Partial<Record<IncidentLocale, Partial<TextSet>>>> = {},
): Record<IncidentLocale, TextSet> | null {
  const base = (defaultTemplates as Record<string, Record<IncidentLocale, TextSet>>)[scenario];
  const own = overrides[scenario];
  if (!base && !own) return null;
  const fallback = defaultTemplates.service_disruption;
  const merge = (l: IncidentLocale): TextSet => ({ ...(base ?? fallback)[l], ...(own?.[l] ?? {}) }) as TextSet;
  return { nl: merge('nl'), en: merge('en') };
}

/**
 * Fills the declaration's variables into every text, each in that text's language (a date becomes "vrijdag 4
 * december om 18:00" in Dutch and "Friday 4 December at 18:00" in English: see incident-variables.ts).
 * Per-contact variables ({name}) stay for the send step. Returns the names of variables the texts need that
 * were not given.
 */
export function renderTemplates(
  texts: Record<IncidentLocale, TextSet>,
  vars: Record<string, IncidentVariable>,
  ctx: { timeZone: string; now: Date },
): { texts: Record<IncidentLocale, TextSet>; missing: string[] } {
  const missing = new Set<string>();
  const fill = (t: string, locale: IncidentLocale) =>
    t.replace(/\{(\w+)\}/g, (whole, name: string) => {
      if (PER_CONTACT.has(name) || name === 'update') return whole;
      const v = vars[name];
      const text = v === undefined ? '' : variableText(v, locale, ctx);
      if (text === '') {
        missing.add(name);
        return whole;
      }
      return text;
    });
  const out = {} as Record<IncidentLocale, TextSet>;
  for (const l of ['nl', 'en'] as const) out[l] = Object.fromEntries(textKeys.map((k) => [k, fill(texts[l][k], l)])) as TextSet;
  return { texts: out, missing: [...missing] };
}

/** The per-contact step: the customer's first name, or a neutral greeting without one. */
export function personalize(text: string, name: string | null | undefined, locale: IncidentLocale): string {
  const first = (name ?? '').trim().split(/\s+/)[0] ?? '';
  if (first) return text.replaceAll('{name}', first);
  // "Hoi {name}," becomes "Hoi," — keep the sentence readable.
  return text.replace(/\s*\{name\}/g, '').replace(locale === 'nl' ? /^Hoi,/ : /^Hi,/, locale === 'nl' ? 'Hallo,' : 'Hello,');
}

export interface Segment {
  /** Dutch postcode digits range (inclusive), e.g. 3500–3599. */
  postcodeFrom?: number;
  postcodeTo?: number;
  /** Contacts whose `product` attribute (or one of `products`) is listed. */
  products?: string[];
  /** Contact attributes that must equal these values. */
  attributes?: Record<string, string>;
}

const postcodeDigits = (v: unknown) => {
  const m = typeof v === 'string' ? /^\s*(\d{4})/.exec(v) : null;
  return m ? Number(m[1]) : null;
};

/** Whether a contact (by its attributes) is in the affected segment. An empty segment means everyone. */
export function inSegment(attributes: Record<string, unknown>, segment: Segment): boolean {
  if (segment.postcodeFrom !== undefined || segment.postcodeTo !== undefined) {
    const pc = postcodeDigits(attributes.postcode);
    if (pc === null) return false;
    if (segment.postcodeFrom !== undefined && pc < segment.postcodeFrom) return false;
    if (segment.postcodeTo !== undefined && pc > segment.postcodeTo) return false;
  }
  if (segment.products?.length) {
    // `products` may be a list or a comma-separated string (contact attributes are flat values).
    const list = Array.isArray(attributes.products) ? attributes.products : typeof attributes.products === 'string' ? attributes.products.split(',') : [];
    const own = [attributes.product, ...list]
      .filter((p): p is string => typeof p === 'string')
      .map((p) => p.trim().toLowerCase());
    if (!segment.products.some((p) => own.includes(p.toLowerCase()))) return false;
  }
  for (const [k, v] of Object.entries(segment.attributes ?? {})) {
    if (String(attributes[k] ?? '').toLowerCase() !== v.toLowerCase()) return false;
  }
  return true;
}

export const segmentIsEmpty = (s: Segment) =>
  s.postcodeFrom === undefined && s.postcodeTo === undefined && !s.products?.length && !Object.keys(s.attributes ?? {}).length;

/** Keywords match whole words, case- and accent-insensitively ("storing" matches "Storing!"). */
export function matchesKeywords(content: string, keywords: string[]): boolean {
  if (!keywords.length) return false;
  const norm = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const text = norm(content);
  return keywords.some((k) => {
    const kw = norm(k.trim());
    return kw.length > 0 && new RegExp(`(?<![\\p{L}\\p{N}])${kw.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u').test(text);
  });
}

/** Contacts who said they want no proactive messages. */
export const optedOut = (attributes: Record<string, unknown>) => attributes.incidentOptOut === true || attributes.optOut === true;
