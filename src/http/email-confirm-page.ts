import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Services } from '../app/context';
import { checkConfirmation, confirmEmailAddress, EMAIL_CONFIRMATION_TTL_MS } from '../app/widget-email-handoff';
import type { WidgetLocale } from '../app/widget-texts';
import { AppError } from '../shared/errors';
import { escapeHtml } from '../shared/markdown';
import { toErrorResponse } from './errors';

/**
 * The page behind the confirmation link of a widget visitor's e-mail address (app/widget-email-handoff.ts).
 * Opening the link only shows a button; the POST of that button confirms. Mail scanners and link previews open
 * links but do not submit forms, so they cannot confirm an address on the visitor's behalf.
 */
const T = {
  nl: {
    title: 'E-mailadres bevestigen',
    ask: (email: string) => `Bevestig dat <strong>${email}</strong> uw e-mailadres is. Daarna sturen we u het chatgesprek en kunt u per e-mail verder.`,
    button: 'Ja, dit is mijn e-mailadres',
    notMe: 'Heeft u hier niet om gevraagd? Sluit deze pagina dan: er gebeurt niets.',
    done: (email: string) => `Bedankt: <strong>${email}</strong> is bevestigd.`,
    continues: 'We hebben u het gesprek gemaild. Bent u weg als we antwoorden, dan krijgt u het antwoord per e-mail; reageren kan gewoon op die e-mail.',
    mailed: 'We hebben u het gesprek gemaild.',
    notSent: 'Uw e-mailadres is bevestigd, maar het gesprek kon nu niet gemaild worden. Vraag er zo nodig in de chat opnieuw om.',
    used: 'Deze link is al gebruikt: uw e-mailadres is al bevestigd.',
    expired: `Deze link is verlopen (een link werkt ${EMAIL_CONFIRMATION_TTL_MS / 3_600_000} uur). Vraag in de chat opnieuw om het gesprek per e-mail.`,
    invalid: 'Deze link is ongeldig of vervangen door een nieuwere. Vraag in de chat opnieuw om het gesprek per e-mail.',
    busy: 'Te veel pogingen. Probeer het over een paar minuten opnieuw.',
  },
  en: {
    title: 'Confirm your e-mail address',
    ask: (email: string) => `Confirm that <strong>${email}</strong> is your e-mail address. After that we send you the chat conversation and you can continue by e-mail.`,
    button: 'Yes, this is my e-mail address',
    notMe: 'Did you not ask for this? Then close this page: nothing happens.',
    done: (email: string) => `Thank you: <strong>${email}</strong> is confirmed.`,
    continues: 'We have mailed you the conversation. If you are gone when we answer, the answer comes by e-mail; you can simply reply to it.',
    mailed: 'We have mailed you the conversation.',
    notSent: 'Your e-mail address is confirmed, but the conversation could not be mailed just now. Ask for it again in the chat if you need it.',
    used: 'This link was already used: your e-mail address is confirmed.',
    expired: `This link has expired (a link works for ${EMAIL_CONFIRMATION_TTL_MS / 3_600_000} hours). Ask for the conversation by e-mail again in the chat.`,
    invalid: 'This link is not valid, or a newer one replaced it. Ask for the conversation by e-mail again in the chat.',
    busy: 'Too many attempts. Please try again in a few minutes.',
  },
};
const PAGE_LIMIT = { limit: 60, windowMs: 10 * 60_000 };

export async function emailConfirmPage(app: FastifyInstance, deps: Services) {
  // The button posts an empty urlencoded form; only this scope accepts that.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_req, body, done) => done(null, body));

  const page = (reply: FastifyReply, locale: WidgetLocale, status: number, body: string) =>
    reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('content-security-policy', "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
      .send(
        `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
          `<meta name="robots" content="noindex,nofollow"><title>${T[locale].title}</title><link rel="stylesheet" href="/help/assets/help.css"></head>` +
          `<body><main><h1>${T[locale].title}</h1><div class="card" role="status">${body}</div></main></body></html>`,
      );
  const langOf = (q: unknown, fallback: WidgetLocale): WidgetLocale => {
    const l = (q as { lang?: string }).lang;
    return l === 'en' || l === 'nl' ? l : fallback;
  };
  const limited = async (ip: string) => !(await deps.limiter.hit(`widget:confirm-page:${ip}`, PAGE_LIMIT.limit, PAGE_LIMIT.windowMs)).allowed;

  app.get('/widget/confirm-email/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    if (await limited(req.ip)) return page(reply, langOf(req.query, 'nl'), 429, `<p>${T[langOf(req.query, 'nl')].busy}</p>`);
    const check = await checkConfirmation(deps, token.slice(0, 300));
    const locale = langOf(req.query, check.status === 'invalid' ? 'nl' : check.locale);
    const t = T[locale];
    if (check.status === 'invalid') return page(reply, locale, 404, `<p>${t.invalid}</p>`);
    if (check.status === 'expired') return page(reply, locale, 410, `<p>${t.expired}</p>`);
    if (check.status === 'used') return page(reply, locale, 200, `<p>${t.used}</p>`);
    return page(
      reply,
      locale,
      200,
      `<p>${t.ask(escapeHtml(check.email))}</p><form method="post"><button type="submit">${t.button}</button></form><p class="muted">${t.notMe}</p>`,
    );
  });

  app.post('/widget/confirm-email/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    if (await limited(req.ip)) return page(reply, langOf(req.query, 'nl'), 429, `<p>${T[langOf(req.query, 'nl')].busy}</p>`);
    try {
      const { email, locale, result } = await confirmEmailAddress(deps, token.slice(0, 300));
      const t = T[langOf(req.query, locale)];
      return page(reply, langOf(req.query, locale), 200, `<p>${t.done(escapeHtml(email))}</p><p>${result.continuesByEmail ? t.continues : t.mailed}</p>`);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const locale = langOf(req.query, (err.details?.locale as WidgetLocale | undefined) ?? 'nl');
      const t = T[locale];
      const text =
        err.code === 'confirmation_expired'
          ? t.expired
          : err.code === 'confirmation_used'
            ? t.used
            : err.code === 'transcript_not_sent'
              ? t.notSent
              : err.code === 'confirmation_invalid'
                ? t.invalid
                : null;
      if (!text) throw err;
      return page(reply, locale, toErrorResponse(err).status, `<p>${text}</p>`);
    }
  });
}
