import MiniSearch from 'minisearch';
import snowball from 'snowball-stemmers';
import { markdownToText } from '../shared/markdown';
import type { BotHit } from '../domain/answer-bot';

/**
 * Knowledge-base search for the widget and the answer bot: MiniSearch with Snowball stemmers (Dutch, English),
 * stop words removed, fuzzy matching for typos. `confidence` says how much of the question the best article
 * covers (the share of the question's meaningful, stemmed words it contains, damped when the runner-up is as
 * good), which is what the bot's threshold is compared with.
 */
export type Locale = 'nl' | 'en';

export interface SearchableArticle {
  id: string;
  locale: Locale;
  title: string;
  body: string;
}

const stop: Record<Locale, Set<string>> = {
  nl: new Set(
    'de het een en of maar ik je jij u uw mijn wij we ons onze zij ze hij haar hem is zijn was waren ben bent heb heeft hebben had kan kun kunt kunnen wil wilt willen moet moeten mag mogen zal zou zouden wordt worden werd in op aan van voor met bij naar om over uit tot als dan dat die dit deze wat wie waar wanneer hoe waarom welke welk er hier daar niet geen nog al ook wel toch even graag alstublieft aub svp dank bedankt hoi hallo hey goedemiddag goedemorgen goedenavond beste vraag vragen iets eens zo heel erg meer veel hebt mn m\'n jullie wordt doe doen hoeveel zit zitten werkt werken krijg krijgen vind vinden nodig lang duurt duren gaat gaan kom komt'.split(' '),
  ),
  en: new Set(
    'the a an and or but i me my you your we our us they them he she it its is are was were be been am have has had do does did can could will would should shall may might must to of in on at for with by from about as into than then that this these those what who where when how why which there here not no yes also just please thanks thank hi hello hey dear question get got any some need want like long take takes find much many does'.split(' '),
  ),
};

const stemmers: Record<Locale, { stem(w: string): string }> = {
  nl: snowball.newStemmer('dutch'),
  en: snowball.newStemmer('english'),
};

const fold = (s: string) => s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
export const tokenize = (s: string) => fold(s).split(/[^a-z0-9]+/).filter(Boolean);

export function terms(text: string, locale: Locale): string[] {
  return tokenize(text)
    .filter((w) => !stop[locale].has(w) && !stop.en.has(w) && w.length > 1 && !/^\d+$/.test(w))
    .map((w) => stemmers[locale].stem(w));
}

export interface KbIndex {
  search(query: string, opts?: { locale?: Locale; limit?: number }): { id: string; locale: Locale; title: string; score: number; confidence: number }[];
  best(query: string, locale: Locale): BotHit | null;
  size: number;
}

export function buildKbIndex(articles: SearchableArticle[]): KbIndex {
  const byLocale = new Map<Locale, { ms: MiniSearch<SearchableArticle>; terms: Map<string, Set<string>>; df: Map<string, number>; n: number }>();
  for (const locale of ['nl', 'en'] as const) {
    const docs = articles.filter((a) => a.locale === locale).map((a) => ({ ...a, body: markdownToText(a.body) }));
    const ms = new MiniSearch<SearchableArticle>({
      fields: ['title', 'body'],
      storeFields: ['title', 'locale'],
      tokenize: (s) => tokenize(s),
      processTerm: (w) => (stop[locale].has(w) || w.length < 2 ? null : stemmers[locale].stem(w)),
      searchOptions: { boost: { title: 3 }, fuzzy: (term) => (term.length >= 5 ? 0.2 : false), prefix: (term) => term.length >= 4, combineWith: 'OR' },
    });
    ms.addAll(docs);
    const docTerms = new Map(docs.map((d) => [d.id, new Set(terms(`${d.title} ${d.body}`, locale))]));
    const df = new Map<string, number>();
    for (const set of docTerms.values()) for (const t of set) df.set(t, (df.get(t) ?? 0) + 1);
    byLocale.set(locale, { ms, terms: docTerms, df, n: docs.length });
  }

  const searchLocale = (query: string, locale: Locale, limit: number) => {
    const idx = byLocale.get(locale)!;
    const q = terms(query, locale);
    if (q.length === 0) return [];
    const results = idx.ms.search(query).slice(0, Math.max(limit, 2));
    const top = results[0]?.score ?? 0;
    return results.slice(0, limit).map((r, i) => {
      // Coverage: share of the question's stemmed words the article has (exactly, or within a typo).
      const matched = new Set(Object.keys(r.match).flatMap((t) => r.match[t]!.length ? [t] : []));
      const docTerms = idx.terms.get(String(r.id)) ?? new Set<string>();
      // Words found in many articles ("fiets", "order") say little; a word no article has (the specific thing
      // asked about) weighs most, so a question about something the KB does not cover stays below the threshold.
      const weight = (t: string) => Math.log(1 + idx.n / (1 + (idx.df.get(t) ?? 0)));
      const isCovered = (t: string) => docTerms.has(t) || [...matched].some((m) => m === t || near(m, t) || (t.length >= 4 && m.startsWith(t)));
      const total = q.reduce((n, t) => n + weight(t), 0);
      let confidence = total > 0 ? q.filter(isCovered).reduce((n, t) => n + weight(t), 0) / total : 0;
      // A runner-up nearly as strong means the question is ambiguous: less sure.
      const second = results[i === 0 ? 1 : 0]?.score ?? 0;
      if (i === 0 && second > 0 && second / top > 0.9) confidence *= 0.85;
      if (i > 0) confidence *= r.score / top;
      return { id: String(r.id), locale, title: String(r.title), score: r.score, confidence };
    });
  };

  return {
    size: articles.length,
    search(query, opts = {}) {
      const limit = opts.limit ?? 5;
      const locales: Locale[] = opts.locale ? [opts.locale] : ['nl', 'en'];
      return locales
        .flatMap((l) => searchLocale(query, l, limit))
        .sort((a, b) => b.confidence - a.confidence || b.score - a.score)
        .slice(0, limit);
    },
    best(query, locale) {
      // The visitor's language first; a question in the other language still finds its article.
      const top = (l: Locale) => searchLocale(query, l, 3).sort((a, b) => b.confidence - a.confidence)[0];
      const own = top(locale);
      const other = top(locale === 'nl' ? 'en' : 'nl');
      const pick = !own ? other : !other ? own : other.confidence > own.confidence + 0.15 ? other : own;
      return pick ? { articleId: pick.id, confidence: pick.confidence } : null;
    },
  };
}

/** Within one edit (a typo) for words of five letters or more. */
function near(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.min(a.length, b.length) < 5 || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}
