import { useCallback, useState, type CSSProperties, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { keys, useInboxes, useLabels, useTeams, useUsers } from '../api/queries';
import { applyConversation, type LiveContext } from '../api/live-updates';
import type { Conversation, Priority, Status } from '../api/types';
import { useCommand } from '../shell/commands';
import { Popover } from '../ui/popover';
import { useToast } from '../ui/toast';
import { errorMessage } from '../ui/feedback';
import { dateTime } from '../i18n/format';
import { ChannelIcon, IconCheck, IconChevronLeft, IconClock, IconFlag, IconHourglass, IconPanel, IconRefresh, IconTag, IconUser } from '../ui/icons';
import { AssignPicker, LabelPicker, PriorityPicker, SnoozePicker } from './pickers';
import { PresenceBar } from './presence-bar';
import { PromiseBadge } from '../certainty/promise-badge';
import { VisitorPresence } from './visitor-presence';
import { CallButton } from '../voice/call-button';

type Action =
  | { kind: 'assign'; body: { assigneeId?: string | null; teamId?: string | null } }
  | { kind: 'labels'; labels: string[] }
  | { kind: 'priority'; priority: Priority }
  | { kind: 'status'; status: Status; snoozedUntil?: string };

/** Changes go to the server and the answer replaces the cached conversation at once (the event confirms it). */
export function useConversationActions(conversation: Conversation | undefined, live: () => LiveContext) {
  const qc = useQueryClient();
  const toast = useToast();
  const { t } = useTranslation();
  const m = useMutation({
    mutationFn: (a: Action) => {
      const base = `/api/v1/conversations/${conversation!.id}`;
      switch (a.kind) {
        case 'assign':
          return api.post<Conversation>(`${base}/assign`, a.body);
        case 'labels':
          return api.put<Conversation>(`${base}/labels`, { labels: a.labels });
        case 'priority':
          return api.post<Conversation>(`${base}/priority`, { priority: a.priority });
        case 'status':
          return api.post<Conversation>(`${base}/status`, { status: a.status, ...(a.snoozedUntil ? { snoozedUntil: a.snoozedUntil } : {}) });
      }
    },
    onSuccess: (c, a) => {
      applyConversation(qc, c, live());
      void qc.invalidateQueries({ queryKey: keys.counts });
      if (a.kind === 'status') toast({ kind: 'info', text: t(`actions.done.${a.status}`, { number: c.number }) });
    },
    onError: (err, a) => toast({ kind: 'error', text: errorMessage(t, err), action: { label: t('common.retry'), run: () => m.mutate(a) } }),
  });
  return m;
}

export function ConversationHeader({
  conversation: c,
  live,
  onBack,
  onTogglePanel,
  panelOpen,
}: {
  conversation: Conversation;
  live: () => LiveContext;
  onBack(): void;
  onTogglePanel(): void;
  panelOpen: boolean;
}) {
  const { t } = useTranslation();
  const act = useConversationActions(c, live);
  const users = useUsers().data ?? [];
  const teams = useTeams().data ?? [];
  const labels = useLabels().data ?? [];
  const inbox = useInboxes().data?.find((i) => i.id === c.inboxId);
  const [menu, setMenu] = useState<null | 'assign' | 'labels' | 'snooze' | 'priority'>(null);
  const assignee = users.find((u) => u.id === c.assigneeId);
  const team = teams.find((tm) => tm.id === c.teamId);
  const done = c.status === 'resolved' || c.status === 'closed';

  const toggleResolve = useCallback(() => act.mutate({ kind: 'status', status: done ? 'open' : 'resolved' }), [act, done]);
  useCommand('resolve', toggleResolve);
  useCommand('assign', useCallback(() => setMenu('assign'), []));
  useCommand('labels', useCallback(() => setMenu('labels'), []));
  useCommand('snooze', useCallback(() => setMenu('snooze'), []));
  useCommand('priority', useCallback(() => setMenu('priority'), []));
  const menuProps = (name: 'assign' | 'labels' | 'snooze' | 'priority') => ({
    open: menu === name,
    onOpenChange: (o: boolean) => setMenu(o ? name : null),
  });
  const name = c.contact.name || c.contact.email || c.contact.phone || t('contact.unknown');

  return (
    <header className="conv-header">
      <div className="conv-title-row">
        <button type="button" className="icon-btn back-btn" onClick={onBack} aria-label={t('conversation.back')}>
          <IconChevronLeft />
        </button>
        <div className="conv-title">
          <h2 dir="auto">{name}</h2>
          <p className="conv-sub">
            <span className="conv-channel">
              <ChannelIcon kind={c.channel} /> {inbox?.name ?? t(`channels.${c.channel}`)}
            </span>
            <span>#{c.number}</span>
            <span className={`status-badge status-${c.status}`}>{t(`status.${c.status}`)}</span>
            <PromiseBadge conversationId={c.id} />
            {c.channel === 'widget' ? <VisitorPresence conversationId={c.id} /> : null}
            {c.status === 'snoozed' && c.snoozedUntil ? <span className="muted">{t('conversation.snoozedUntil', { time: dateTime(c.snoozedUntil) })}</span> : null}
            {c.labels.length ? (
              <span className="conv-labels">
                {c.labels.map((l) => (
                  <span key={l} className="chip" dir="auto" style={{ '--chip': labels.find((x) => x.name === l)?.color ?? '#64748b' } as CSSProperties}>
                    {l}
                  </span>
                ))}
              </span>
            ) : null}
            {c.subject ? (
              <span className="conv-subject" dir="auto">
                {c.subject}
              </span>
            ) : null}
          </p>
        </div>
        <PresenceBar conversationId={c.id} />
        <button type="button" className={`icon-btn panel-toggle${panelOpen ? ' active' : ''}`} onClick={onTogglePanel} aria-label={t('customer.toggle')} aria-expanded={panelOpen} title={t('customer.toggle')}>
          <IconPanel />
        </button>
      </div>
      <div className="conv-actions" role="toolbar" aria-label={t('conversation.actions')}>
        {/* Who has the conversation: the chip shrinks (ellipsis) before anything wraps. */}
        <div className="conv-actions-state">
          <Popover
            {...menuProps('assign')}
            label={t('conversation.assignLabel', { current: assignee?.name ?? team?.name ?? t('list.unassigned') })}
            buttonClassName="btn btn-small btn-chip"
            className="chip-wrap"
            button={
              <>
                <IconUser />
                <span className="chip-text">
                  {assignee?.name ?? t('list.unassigned')}
                  {team ? <span className="muted"> · {team.name}</span> : null}
                </span>
              </>
            }
            title={`${t('conversation.assignLabel', { current: [assignee?.name, team?.name].filter(Boolean).join(' · ') || t('list.unassigned') })} (a)`}
          >
            {(close) => (
              <AssignPicker
                assigneeId={c.assigneeId}
                teamId={c.teamId}
                inboxId={c.inboxId}
                onPick={(body) => {
                  close();
                  act.mutate({ kind: 'assign', body });
                }}
              />
            )}
          </Popover>
        </div>
        {/*
          The actions: icon buttons (named, with a tooltip) and the primary action last, with its text.
          A new action is one more element in this list, built like <HeaderIconButton>.
        */}
        <div className="conv-actions-right">
          <CallButton conversationId={c.id} phone={c.contact.phone} className="icon-btn header-icon-btn" iconOnly />
          <Popover
            {...menuProps('labels')}
            label={c.labels.length ? `${t('conversation.labels')}: ${c.labels.join(', ')}` : t('conversation.labels')}
            buttonClassName="icon-btn header-icon-btn"
            button={
              <>
                <IconTag />
                {c.labels.length ? <span className="icon-count" aria-hidden="true">{c.labels.length}</span> : null}
              </>
            }
            title={`${t('conversation.labels')} (l)`}
            align="end"
          >
            <LabelPicker selected={c.labels} onToggle={(l, on) => act.mutate({ kind: 'labels', labels: on ? [...c.labels, l] : c.labels.filter((x) => x.toLowerCase() !== l.toLowerCase()) })} />
          </Popover>
          <Popover
            {...menuProps('priority')}
            label={t('priority.label', { priority: t(`priority.${c.priority}`) })}
            buttonClassName="icon-btn header-icon-btn"
            button={
              <span className={`prio prio-${c.priority}`}>
                <IconFlag />
              </span>
            }
            title={`${t('priority.label', { priority: t(`priority.${c.priority}`) })} (p)`}
            align="end"
          >
            {(close) => (
              <PriorityPicker
                value={c.priority}
                onPick={(priority) => {
                  close();
                  act.mutate({ kind: 'priority', priority });
                }}
              />
            )}
          </Popover>
          {!done ? (
            <Popover {...menuProps('snooze')} label={t('snooze.title')} buttonClassName="icon-btn header-icon-btn" button={<IconClock />} title={`${t('snooze.title')}… (s)`} align="end">
              {(close) => (
                <SnoozePicker
                  onPick={(until) => {
                    close();
                    act.mutate({ kind: 'status', status: 'snoozed', snoozedUntil: until.toISOString() });
                  }}
                />
              )}
            </Popover>
          ) : null}
          {c.status === 'open' || c.status === 'snoozed' ? (
            <HeaderIconButton label={t('actions.pending')} title={t('actions.pendingHint')} onClick={() => act.mutate({ kind: 'status', status: 'pending' })}>
              <IconHourglass />
            </HeaderIconButton>
          ) : null}
          <button type="button" className={`btn btn-small ${done ? '' : 'success'}`} onClick={toggleResolve} disabled={act.isPending} title={`${done ? t('actions.reopen') : t('actions.resolve')} (e)`}>
            {done ? <IconRefresh /> : <IconCheck />}
            {done ? t('actions.reopen') : t('actions.resolve')}
          </button>
        </div>
      </div>
    </header>
  );
}

/**
 * A secondary header action: an icon with an accessible name and a tooltip (the name, or a longer hint).
 * Other features put their own header actions on it (e.g. a call button) so the row stays one row.
 */
export function HeaderIconButton({
  label,
  title,
  onClick,
  disabled,
  active,
  children,
}: {
  label: string;
  title?: string;
  onClick(): void;
  disabled?: boolean;
  active?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="button" className={`icon-btn header-icon-btn${active ? ' active' : ''}`} aria-label={label} title={title ?? label} onClick={onClick} disabled={disabled}>
      {children}
    </button>
  );
}
