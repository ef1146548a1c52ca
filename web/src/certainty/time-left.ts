/**
 * "1 h 20 min", "3 days": how long until (or since) a promised time, for the promise badge. Short units in the
 * interface language; minutes only under two hours, where they still matter.
 */
export function timeLeft(dueIso: string, now: Date, locale: 'nl' | 'en'): { overdue: boolean; text: string } {
  const ms = new Date(dueIso).getTime() - now.getTime();
  const abs = Math.abs(ms);
  const lang = locale === 'nl' ? 'nl-NL' : 'en-GB';
  const unit = (n: number, u: 'minute' | 'hour' | 'day') => new Intl.NumberFormat(lang, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 0 }).format(n);
  const minutes = Math.max(1, Math.floor(abs / 60_000));
  let text: string;
  if (minutes < 60) text = unit(minutes, 'minute');
  else if (minutes < 120) text = `${unit(1, 'hour')} ${unit(minutes - 60, 'minute')}`;
  else if (minutes < 48 * 60) text = unit(Math.floor(minutes / 60), 'hour');
  else text = unit(Math.floor(minutes / 1440), 'day');
  return { overdue: ms < 0, text };
}
