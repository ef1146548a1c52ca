import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api, qs } from '../api/client';
import { keys, useContact, useTimeline } from '../api/queries';
import type { Contact, ConversationListItem, Page, TimelineItem } from '../api/types';
import { Link } from '../router';
import { dateTime, fullDateTime, number, shortTime } from '../i18n/format';
import { Avatar } from '../ui/avatar';
import { ErrorState, Spinner, errorMessage } from '../ui/feedback';
import { ChannelIcon, IconCheck, IconEdit, IconMail, IconMerge, IconPhone, IconPlus, IconTrash, IconUser, IconX } from '../ui/icons';
import { useToast } from '../ui/toast';
import { MergeDialog } from './merge-dialog';
import { CallCard, isCallMessage } from '../voice/call-card';
import { CallButton } from '../voice/call-button';
import { MergeSuggestions } from './merge-suggestions';
import { PendingEmails } from './pending-emails';

const identityIcon = (kind: string) => (kind === 'email' ? <IconMail /> : kind === 'phone' ? <IconPhone /> : kind === 'external' ? <IconUser /> : <ChannelIcon kind={kind} />);

/**
 * Everything about the customer next to the conversation: who they are (all identities, editable details,
 * custom attributes), their whole history across channels, and merging when two records are one person.
 */
export function CustomerPanel({
  contactId,
  currentConversationId,
  conversationHref,
  onClose,
}: {
  contactId: string;
  currentConversationId?: string;
  conversationHref(id: string): string;
  /** Shown where the panel overlays the conversation (tablets). */
  onClose?: () => void;
}) {
  const { t } = useTranslation();
  const q = useContact(contactId);
  const [merging, setMerging] = useState<{ sourceId?: string } | null>(null);
  if (q.isPending) return <aside className="customer-panel"><Spinner /></aside>;
  if (q.isError) return <aside className="customer-panel"><ErrorState error={q.error} onRetry={() => void q.refetch()} compact /></aside>;
  const contact = q.data;
  return (
    <aside className="customer-panel" aria-label={t('customer.label')} onKeyDown={(e) => e.key === 'Escape' && onClose?.()}>
      {onClose ? (
        <button type="button" className="icon-btn panel-close" onClick={onClose} aria-label={t('common.close')}>
          <IconX />
        </button>
      ) : null}
      {contact.mergedIntoId ? (
        <p className="notice" role="status">
          {t('customer.mergedInto')} <Link to={`/contacts/${contact.mergedIntoId}`}>{t('customer.openMerged')}</Link>
        </p>
      ) : null}
      <ContactCard contact={contact} onMerge={(sourceId) => setMerging({ sourceId })} />
      {!contact.mergedIntoId ? <MergeSuggestions contactId={contact.id} onReview={(sourceId) => setMerging({ sourceId })} /> : null}
      <ConversationsSummary contactId={contact.id} />
      <Timeline contactId={contact.id} currentConversationId={currentConversationId} conversationHref={conversationHref} />
      {!contact.mergedIntoId ? (
        <button type="button" className="btn block" onClick={() => setMerging({})}>
          <IconMerge /> {t('merge.open')}
        </button>
      ) : null}
      {merging ? <MergeDialog target={contact} initialSourceId={merging.sourceId} onClose={() => setMerging(null)} /> : null}
    </aside>
  );
}

function ContactCard({ contact, onMerge }: { contact: Contact; onMerge(sourceId: string): void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [form, setForm] = useState({ name: '', email: '', phone: '' });
  const [attrs, setAttrs] = useState<{ key: string; value: string }[]>([]);
  const [conflict, setConflict] = useState<{ field: string; contactId?: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  const start = () => {
    setForm({ name: contact.name, email: contact.email ?? '', phone: contact.phone ?? '' });
    setAttrs(ownFields(contact.attributes).map(([key, value]) => ({ key, value: value === null || value === undefined ? '' : String(value) })));
    setConflict(null);
    setFieldErrors({});
    setEditing(true);
  };

  const save = useMutation({
    mutationFn: () => {
      const attributes: Record<string, string | null> = {};
      for (const [k] of ownFields(contact.attributes)) attributes[k] = null;
      for (const a of attrs) if (a.key.trim()) attributes[a.key.trim()] = a.value;
      return api.patch<Contact>(`/api/v1/contacts/${contact.id}`, {
        name: form.name,
        email: form.email.trim() || null,
        phone: form.phone.trim() || null,
        attributes,
      });
    },
    onSuccess: (c) => {
      qc.setQueryData(keys.contact(c.id), c);
      void qc.invalidateQueries({ queryKey: keys.lists });
      setEditing(false);
    },
    onError: (err) => {
      if (err instanceof ApiError) {
        const fe: Record<string, string> = {};
        for (const f of err.fields) fe[f.path.split('.')[0]!] = f.message;
        setFieldErrors(fe);
        if (err.code === 'identity_taken') {
          // The address belongs to another contact: find that one so the agent can merge the two.
          const field = (err.fields[0]?.path ?? 'email') as 'email' | 'phone';
          void api
            .get<Page<Contact>>(`/api/v1/contacts${qs({ q: form[field] ?? '', limit: 5 })}`)
            .then((r) => setConflict({ field, contactId: r.items.find((c) => c.id !== contact.id)?.id }))
            .catch(() => setConflict({ field }));
        }
      }
      toast({ kind: 'error', text: errorMessage(t, err) });
    },
  });

  const name = contact.name || contact.email || contact.phone || t('contact.unknown');
  if (editing) {
    return (
      <section className="panel-section contact-card">
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <h2 className="panel-title">{t('customer.edit')}</h2>
          {(['name', 'email', 'phone'] as const).map((f) => (
            <label key={f} className="field">
              <span>{t(`customer.${f}`)}</span>
              <input className="input" dir="auto" value={form[f]} type={f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'text'} onChange={(e) => setForm({ ...form, [f]: e.target.value })} aria-invalid={fieldErrors[f] ? true : undefined} />
              {fieldErrors[f] ? <span className="error-text">{fieldErrors[f]}</span> : null}
            </label>
          ))}
          {conflict?.contactId ? (
            <p className="notice">
              {t('customer.identityTaken')}{' '}
              <button type="button" className="link-btn" onClick={() => onMerge(conflict.contactId!)}>
                {t('customer.mergeThem')}
              </button>
            </p>
          ) : null}
          <fieldset className="attrs-edit">
            <legend>{t('customer.attributes')}</legend>
            {attrs.map((a, i) => (
              <div key={i} className="attr-row">
                <input className="input" aria-label={t('customer.attrKey')} placeholder={t('customer.attrKey')} value={a.key} onChange={(e) => setAttrs(attrs.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} />
                <input className="input" aria-label={t('customer.attrValue')} placeholder={t('customer.attrValue')} value={a.value} onChange={(e) => setAttrs(attrs.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} />
                <button type="button" className="icon-btn" aria-label={t('customer.attrRemove', { key: a.key })} onClick={() => setAttrs(attrs.filter((_, j) => j !== i))}>
                  <IconTrash />
                </button>
              </div>
            ))}
            <button type="button" className="link-btn" onClick={() => setAttrs([...attrs, { key: '', value: '' }])}>
              <IconPlus /> {t('customer.attrAdd')}
            </button>
          </fieldset>
          <div className="row-buttons">
            <button type="submit" className="btn primary" disabled={save.isPending}>
              {t('common.save')}
            </button>
            <button type="button" className="btn" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      </section>
    );
  }
  const attributes = ownFields(contact.attributes);
  return (
    <section className="panel-section contact-card" aria-labelledby={`contact-${contact.id}`}>
      <div className="contact-head">
        <Avatar name={name} id={contact.id} size={44} />
        <div className="contact-name-wrap">
          <h2 id={`contact-${contact.id}`} className="contact-name" dir="auto">
            {name}
          </h2>
          {contact.lastActivityAt ? <p className="muted small">{t('customer.lastActive', { time: dateTime(contact.lastActivityAt) })}</p> : null}
        </div>
        <CallButton contactId={contact.id} phone={contact.phone} iconOnly className="icon-btn" />
        <button type="button" className="icon-btn" onClick={start} aria-label={t('customer.edit')} title={t('customer.edit')}>
          <IconEdit />
        </button>
      </div>
      <ul className="identities" aria-label={t('customer.identities')}>
        {contact.identities.map((i) => (
          <li key={i.id} title={t(`identity.${i.kind}`)}>
            <span className="identity-icon">{identityIcon(i.kind)}</span>
            <span className="sr-only">{t(`identity.${i.kind}`)}: </span>
            <span className="identity-value" dir="auto">
              {i.value}
            </span>
            {i.verified ? (
              <span className="verified" title={t('customer.verified')}>
                <IconCheck />
                <span className="sr-only">{t('customer.verified')}</span>
              </span>
            ) : null}
          </li>
        ))}
        {contact.identities.length === 0 ? <li className="muted">{t('customer.noIdentities')}</li> : null}
      </ul>
      {!contact.mergedIntoId ? <PendingEmails contactId={contact.id} /> : null}
      {attributes.length ? (
        <dl className="attributes">
          {attributes.map(([k, v]) => (
            <div key={k}>
              <dt dir="auto">{k}</dt>
              <dd dir="auto">{String(v)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </section>
  );
}

/**
 * The contact's own fields: text, numbers, yes/no. Structured attributes are Balie's own records (e.g. `widget`:
 * which name and e-mail the site verified); shown as text and saved back they would lose that, and a typed value
 * could then overwrite a verified one. So they are neither shown nor sent back from the form.
 */
function ownFields(attributes: Record<string, unknown>) {
  return Object.entries(attributes).filter(([, v]) => v === null || typeof v !== 'object');
}

function ConversationsSummary({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['contact-conversations', contactId],
    queryFn: () => api.get<Page<ConversationListItem>>(`/api/v1/conversations${qs({ contactId, status: 'all', limit: 100 })}`),
    staleTime: 30_000,
  });
  if (!q.data) return null;
  const n = q.data.items.length;
  const open = q.data.items.filter((c) => c.status === 'open' || c.status === 'pending' || c.status === 'snoozed').length;
  const channels = [...new Set(q.data.items.map((c) => c.channel))];
  return (
    <section className="panel-section stats">
      <p>
        <strong>{q.data.nextCursor ? `${number(n)}+` : number(n)}</strong> {t('customer.conversations', { count: n })}
        {open ? <span className="muted"> · {t('customer.openCount', { count: open })}</span> : null}
      </p>
      <p className="channels-used" aria-label={t('customer.channelsUsed')}>
        {channels.map((c) => (
          <span key={c} className="chip" title={t(`channels.${c}`)}>
            <ChannelIcon kind={c} /> {t(`channels.${c}`)}
          </span>
        ))}
      </p>
    </section>
  );
}

function Timeline({ contactId, currentConversationId, conversationHref }: { contactId: string; currentConversationId?: string; conversationHref(id: string): string }) {
  const { t } = useTranslation();
  const q = useTimeline(contactId);
  const items = (q.data?.pages ?? []).flatMap((p) => p.items).filter((i) => i.type === 'conversation' || i.message.kind !== 'activity');
  return (
    <section className="panel-section timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title" className="panel-title">
        {t('customer.timeline')}
      </h2>
      {q.isPending ? <Spinner /> : null}
      {q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} compact /> : null}
      <ol className="timeline-list">
        {items.map((i) => (
          <TimelineEntry key={`${i.type}-${i.id}`} item={i} current={currentConversationId} href={conversationHref} />
        ))}
      </ol>
      {q.hasNextPage ? (
        <button type="button" className="link-btn" onClick={() => void q.fetchNextPage()} disabled={q.isFetchingNextPage}>
          {t('customer.more')}
        </button>
      ) : null}
    </section>
  );
}

function TimelineEntry({ item, current, href }: { item: TimelineItem; current?: string; href(id: string): string }) {
  const { t } = useTranslation();
  if (item.type === 'conversation') {
    const c = item.conversation;
    return (
      <li className={`tl-conv${c.id === current ? ' current' : ''}`}>
        <Link to={href(c.id)} className="tl-link">
          <ChannelIcon kind={c.channel} />
          <span className="grow">
            {t('customer.conversationStarted', { number: c.number, channel: t(`channels.${c.channel}`) })}
            {c.id === current ? <span className="muted"> · {t('customer.thisConversation')}</span> : null}
          </span>
          <span className={`status-badge status-${c.status}`}>{t(`status.${c.status}`)}</span>
        </Link>
        <time className="muted small" dateTime={item.at} title={fullDateTime(item.at)}>
          {shortTime(item.at)}
        </time>
      </li>
    );
  }
  const m = item.message;
  if (isCallMessage(m)) return <li className="tl-call"><Link to={href(m.conversationId)} className="tl-link"><CallCard message={m} compact /></Link></li>;
  // The answer bot never passes for a person or for Balie itself: its name and a visible tag, as in the thread.
  const bot = m.senderType === 'bot';
  const who = bot ? t('message.botName') : (m.senderName ?? (m.direction === 'inbound' ? t('contact.unknown') : t('message.system')));
  return (
    <li className={`tl-msg${m.kind === 'note' ? ' note' : ''}${m.direction === 'inbound' ? ' in' : ''}${bot ? ' tl-bot' : ''}`}>
      <Link to={href(m.conversationId)} className="tl-link">
        <ChannelIcon kind={item.channel} />
        <span className="grow tl-text">
          <span className="tl-who" dir="auto">
            {m.kind === 'note' ? `${t('message.note')} · ` : ''}
            {who}
            {bot ? (
              <>
                {' '}
                <span className="bot-tag" title={t('message.botTitle')}>
                  {t('message.botTag')}
                </span>
              </>
            ) : null}
          </span>
          <span className="tl-snippet" dir="auto">
            {m.content.slice(0, 160) || (m.attachments.length ? m.attachments.map((a) => a.fileName).join(', ') : '')}
          </span>
        </span>
      </Link>
      <span className="muted small tl-meta">
        #{item.conversationNumber} ·{' '}
        <time dateTime={item.at} title={fullDateTime(item.at)}>
          {shortTime(item.at)}
        </time>
      </span>
    </li>
  );
}

