import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import './i18n';
import { api, qs } from '../api/client';
import { keys, useContact, useTimeline } from '../api/queries';
import type { Contact, ConversationListItem, Page } from '../api/types';
import { Link, navigate } from '../router';
import { fullDateTime, shortTime } from '../i18n/format';
import { Avatar } from '../ui/avatar';
import { errorMessage } from '../ui/feedback';
import { ChannelIcon, IconPhone, IconX } from '../ui/icons';
import { useToast } from '../ui/toast';
import { callStore, useCallStore } from './call-store';
import { callOf } from './types';

/**
 * The screen pop: while a call rings for this agent (and while they talk), who is calling — the contact the
 * number matched, or "unknown caller" with create/link — with their open conversations and latest history.
 */
export function ScreenPop({ viewSegment }: { viewSegment: string }) {
  const { t } = useTranslation();
  const { pop } = useCallStore();
  const contact = useContact(pop?.contactId);
  const [mode, setMode] = useState<null | 'create' | 'link'>(null);
  useEffect(() => setMode(null), [pop?.call.id]);
  if (!pop) return null;
  const c = contact.data;
  const number = pop.call.from === 'withheld' ? t('voice.pop.withheld') : pop.call.from;
  const known = pop.known !== false || !!c?.name;
  const name = known ? c?.name || c?.email || number : t('voice.pop.unknown');
  return (
    <aside className={`screen-pop pop-${pop.state}`} role="dialog" aria-modal="false" aria-label={t('voice.pop.label')} data-testid="screen-pop">
      <header className="pop-head">
        <span className={`pop-pulse${pop.state === 'ringing' ? ' ringing' : ''}`} aria-hidden="true">
          <IconPhone />
        </span>
        <span className="pop-state" role="status">
          {t('voice.pop.label')} · {t(`voice.pop.${pop.state === 'answered' ? 'answered' : 'ringing'}`)}
        </span>
        <button type="button" className="icon-btn" onClick={() => callStore.dismissPop()} aria-label={t('voice.pop.dismiss')} title={t('voice.pop.dismiss')}>
          <IconX />
        </button>
      </header>
      <div className="pop-caller">
        <Avatar name={known ? name : '?'} id={pop.contactId} size={44} />
        <div>
          <h2 className="pop-name" dir="auto">
            {name}
          </h2>
          <p className="muted small" dir="ltr">
            {t('voice.pop.from', { number })}
          </p>
        </div>
      </div>
      {!known ? (
        <div className="pop-unknown">
          <p className="muted small">{t('voice.pop.unknownHint')}</p>
          {mode === null ? (
            <div className="row-buttons">
              <button type="button" className="btn btn-small" onClick={() => setMode('create')}>
                {t('voice.pop.create')}
              </button>
              <button type="button" className="btn btn-small" onClick={() => setMode('link')}>
                {t('voice.pop.link')}
              </button>
            </div>
          ) : mode === 'create' ? (
            <CreateContact contactId={pop.contactId} onDone={() => setMode(null)} />
          ) : (
            <LinkContact sourceId={pop.contactId} onDone={() => setMode(null)} />
          )}
        </div>
      ) : null}
      {c && !c.mergedIntoId ? <PopHistory contactId={c.id} viewSegment={viewSegment} currentConversationId={pop.conversationId} /> : null}
      <div className="pop-foot">
        <button type="button" className="btn primary btn-small" onClick={() => navigate(`/inbox/${viewSegment}/${pop.conversationId}`)}>
          {t('voice.pop.open')}
        </button>
      </div>
    </aside>
  );
}

function CreateContact({ contactId, onDone }: { contactId: string; onDone(): void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState('');
  const save = useMutation({
    mutationFn: () => api.patch<Contact>(`/api/v1/contacts/${contactId}`, { name }),
    onSuccess: (c) => {
      qc.setQueryData(keys.contact(c.id), c);
      void qc.invalidateQueries({ queryKey: keys.lists });
      onDone();
    },
    onError: (err) => toast({ kind: 'error', text: errorMessage(t, err) }),
  });
  return (
    <form
      className="pop-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) save.mutate();
      }}
    >
      <label className="field">
        <span>{t('voice.pop.createName')}</span>
        <input className="input" value={name} onChange={(e) => setName(e.target.value)} autoFocus dir="auto" />
      </label>
      <button type="submit" className="btn btn-small primary" disabled={save.isPending || !name.trim()}>
        {t('voice.pop.createSave')}
      </button>
    </form>
  );
}

/** The caller is someone we know under another record: merge this call's fresh contact into that one. */
function LinkContact({ sourceId, onDone }: { sourceId: string; onDone(): void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const toast = useToast();
  const [q, setQ] = useState('');
  const results = useQuery({
    queryKey: ['contacts-search', q],
    queryFn: () => api.get<Page<Contact>>(`/api/v1/contacts${qs({ q, limit: 6 })}`),
    enabled: q.trim().length >= 2,
  });
  const link = useMutation({
    mutationFn: (target: Contact) => api.post<Contact>(`/api/v1/contacts/${target.id}/merge`, { sourceId }),
    onSuccess: (c) => {
      toast({ kind: 'info', text: t('voice.pop.linked', { name: c.name || c.email || c.phone || '' }) });
      const s = callStore.get().pop;
      if (s) callStore.onScreenPop({ ...s, contactId: c.id, known: true }, '');
      void qc.invalidateQueries({ queryKey: keys.lists });
      void qc.invalidateQueries({ queryKey: keys.contact(c.id) });
      void qc.invalidateQueries({ queryKey: keys.timeline(c.id) });
      onDone();
    },
    onError: (err) => toast({ kind: 'error', text: errorMessage(t, err) }),
  });
  return (
    <div className="pop-form">
      <label className="field">
        <span>{t('voice.pop.linkSearch')}</span>
        <input className="input" type="search" value={q} onChange={(e) => setQ(e.target.value)} autoFocus />
      </label>
      <ul className="pop-results">
        {(results.data?.items ?? [])
          .filter((c) => c.id !== sourceId)
          .map((c) => (
            <li key={c.id}>
              <button type="button" className="link-btn" onClick={() => link.mutate(c)} disabled={link.isPending}>
                {t('voice.pop.linkTo', { name: c.name || c.email || c.phone })}
              </button>
            </li>
          ))}
      </ul>
    </div>
  );
}

function PopHistory({ contactId, viewSegment, currentConversationId }: { contactId: string; viewSegment: string; currentConversationId: string }) {
  const { t } = useTranslation();
  const open = useQuery({
    queryKey: ['contact-conversations', contactId],
    queryFn: () => api.get<Page<ConversationListItem>>(`/api/v1/conversations${qs({ contactId, status: 'all', limit: 100 })}`),
    staleTime: 10_000,
  });
  const timeline = useTimeline(contactId);
  const openItems = (open.data?.items ?? []).filter((c) => c.id !== currentConversationId && (c.status === 'open' || c.status === 'pending' || c.status === 'snoozed'));
  const recent = (timeline.data?.pages[0]?.items ?? [])
    .filter((i) => i.type === 'message' && i.message.kind !== 'activity' && i.message.conversationId !== currentConversationId)
    .slice(0, 4);
  return (
    <>
      <section className="pop-section">
        <h3>{t('voice.pop.openConversations')}</h3>
        {openItems.length ? (
          <ul className="pop-list">
            {openItems.slice(0, 5).map((c) => (
              <li key={c.id}>
                <Link to={`/inbox/${viewSegment}/${c.id}`} className="pop-link">
                  <ChannelIcon kind={c.channel} /> <span className="grow" dir="auto">#{c.number} {c.subject || c.preview}</span>
                  <span className={`status-badge status-${c.status}`}>{t(`status.${c.status}`)}</span>
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">{t('voice.pop.noOpen')}</p>
        )}
      </section>
      <section className="pop-section">
        <h3>{t('voice.pop.recent')}</h3>
        {recent.length ? (
          <ol className="pop-list">
            {recent.map((i) =>
              i.type === 'message' ? (
                <li key={i.id}>
                  <Link to={`/inbox/${viewSegment}/${i.message.conversationId}`} className="pop-link">
                    <ChannelIcon kind={i.channel} />
                    <span className="grow pop-snippet" dir="auto">
                      {callOf(i.message.contentAttributes) ? t(`voice.card.${callOf(i.message.contentAttributes)!.direction}`) : i.message.content.slice(0, 90)}
                    </span>
                    <time className="muted small" dateTime={i.at} title={fullDateTime(i.at)}>
                      {shortTime(i.at)}
                    </time>
                  </Link>
                </li>
              ) : null,
            )}
          </ol>
        ) : (
          <p className="muted small">{t('voice.pop.noHistory')}</p>
        )}
      </section>
    </>
  );
}
