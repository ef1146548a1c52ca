import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Conversation } from '../api/types';

interface ComposeDefaults {
  to: string[];
  replyAllCc: string[];
  subject: string | null;
  signatures: { agent: string | null; inbox: string | null };
}

export interface EmailDraft {
  to: string;
  cc: string;
  bcc: string;
  forward: boolean;
  /** The agent changed To: a later load of the defaults must not overwrite it. */
  touched: boolean;
}

const ADDRESS = /^[^\s@<>",;()]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** "a@x.nl, b@y.com; c@z.org" → the addresses, and the pieces that are not an address. */
export function parseAddresses(text: string): { list: string[]; bad: string[] } {
  const parts = text
    .split(/[,;\s]+/)
    .map((p) => p.trim().replace(/^<|>$/g, ''))
    .filter(Boolean);
  return { list: [...new Set(parts.map((p) => p.toLowerCase()).filter((p) => ADDRESS.test(p)))], bad: parts.filter((p) => !ADDRESS.test(p)) };
}

export type EmailSendPlan =
  | { ok: true; forward: false; email: { to: string[]; cc: string[]; bcc: string[] } }
  | { ok: true; forward: true; to: string[]; cc: string[] }
  | { ok: false; error: { key: 'emailCompose.invalid'; address: string } | { key: 'emailCompose.needRecipient' } };

/** Checks the fields before sending; the server checks again with the same rule. */
export function planEmailSend(d: EmailDraft): EmailSendPlan {
  const to = parseAddresses(d.to);
  const cc = parseAddresses(d.cc);
  const bcc = parseAddresses(d.bcc);
  const bad = [...to.bad, ...cc.bad, ...(d.forward ? [] : bcc.bad)][0];
  if (bad) return { ok: false, error: { key: 'emailCompose.invalid', address: bad } };
  if (!to.list.length) return { ok: false, error: { key: 'emailCompose.needRecipient' } };
  return d.forward ? { ok: true, forward: true, to: to.list, cc: cc.list } : { ok: true, forward: false, email: { to: to.list, cc: cc.list, bcc: bcc.list } };
}

export const emptyEmailDraft: EmailDraft = { to: '', cc: '', bcc: '', forward: false, touched: false };

/** The recipients of an e-mail reply, prefilled from the thread once its defaults arrive. */
export function useEmailDraft(conversation: Conversation) {
  const isEmail = conversation.channel === 'email';
  const defaults = useQuery({
    queryKey: ['email-compose', conversation.id],
    queryFn: () => api.get<ComposeDefaults>(`/api/v1/conversations/${conversation.id}/email/compose`),
    enabled: isEmail,
    staleTime: 30_000,
  });
  const [draft, setDraft] = useState<EmailDraft>(emptyEmailDraft);
  useEffect(() => setDraft(emptyEmailDraft), [conversation.id]);
  const data = defaults.data;
  useEffect(() => {
    if (data) setDraft((d) => (d.touched || d.forward ? d : { ...d, to: data.to.join(', ') }));
  }, [data]);
  const reset = () => setDraft({ ...emptyEmailDraft, to: data?.to.join(', ') ?? '' });
  return { isEmail, defaults: data, draft, setDraft, reset };
}

export function EmailFields({ draft, defaults, onChange, idPrefix }: { draft: EmailDraft; defaults: ComposeDefaults | undefined; onChange(d: EmailDraft): void; idPrefix: string }) {
  const { t } = useTranslation();
  const [copies, setCopies] = useState(false);
  const showCopies = copies || !!draft.cc || !!draft.bcc;
  const field = (name: 'to' | 'cc' | 'bcc', label: string) => (
    <div className="email-field">
      <label htmlFor={`${idPrefix}-${name}`}>{label}</label>
      <input
        id={`${idPrefix}-${name}`}
        type="text"
        inputMode="email"
        autoComplete="off"
        spellCheck={false}
        value={draft[name]}
        onChange={(e) => onChange({ ...draft, [name]: e.target.value, touched: draft.touched || name === 'to' })}
      />
    </div>
  );
  const replyAll = () => {
    const cc = parseAddresses(`${draft.cc}, ${(defaults?.replyAllCc ?? []).join(', ')}`).list;
    setCopies(true);
    onChange({ ...draft, forward: false, cc: cc.join(', ') });
  };
  const toggleForward = () =>
    onChange(draft.forward ? { ...draft, forward: false, to: defaults?.to.join(', ') ?? '', touched: false } : { ...draft, forward: true, to: '', cc: '', bcc: '', touched: true });
  const signatures = [defaults?.signatures.agent, defaults?.signatures.inbox].filter((s): s is string => !!s);
  return (
    <div className="email-fields" data-testid="email-fields">
      <div className="email-field-actions">
        <button type="button" className="btn btn-small" aria-pressed={draft.forward} onClick={toggleForward}>
          {t('emailCompose.forward')}
        </button>
        {!draft.forward ? (
          <button type="button" className="btn btn-small" onClick={replyAll} disabled={!defaults?.replyAllCc.length}>
            {t('emailCompose.replyAll')}
          </button>
        ) : null}
        {!showCopies ? (
          <button type="button" className="btn btn-small" onClick={() => setCopies(true)}>
            {t('emailCompose.addCopies')}
          </button>
        ) : null}
      </div>
      {draft.forward ? <p className="muted small">{t('emailCompose.forwardHint')}</p> : null}
      {field('to', draft.forward ? t('emailCompose.forwardTo') : t('emailCompose.to'))}
      {showCopies ? field('cc', t('emailCompose.cc')) : null}
      {showCopies && !draft.forward ? field('bcc', t('emailCompose.bcc')) : null}
      {signatures.length && !draft.forward ? (
        <p className="muted small email-signature" data-testid="email-signature">
          {t('emailCompose.signature')} <span dir="auto">{signatures.join(' · ')}</span>
        </p>
      ) : null}
    </div>
  );
}
