import { memo, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ConversationListItem, Label, User } from '../api/types';
import { prefetchMessages } from '../api/queries';
import { Link } from '../router';
import { duration, fullDateTime, shortTime } from '../i18n/format';
import { Avatar, initials } from '../ui/avatar';
import { ChannelIcon, IconFlag } from '../ui/icons';
import { promiseAtRisk } from './view';
import { speedStateAt, useTicker } from './speed';

export const ROW_HEIGHT = 78;
const HOVER_INTENT_MS = 120;

/** One line in the inbox: who, what they wrote last, how long they wait, and whose it is. */
export const ConversationRow = memo(function ConversationRow({
  c,
  href,
  active,
  selected,
  selecting,
  onToggle,
  assignee,
  labelColors,
}: {
  c: ConversationListItem;
  href: string;
  active: boolean;
  selected: boolean;
  selecting: boolean;
  onToggle(id: string, range: boolean): void;
  assignee: User | undefined;
  labelColors: Map<string, Label>;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const hover = useRef<number | undefined>(undefined);
  const name = c.contact.name || c.contact.email || c.contact.phone || t('contact.unknown');
  const waiting = c.waitingSince && (c.status === 'open' || c.status === 'pending') ? duration(c.waitingSince) : null;
  return (
    <div className={`row${active ? ' active' : ''}${c.unread ? ' unread' : ''}${selected ? ' selected' : ''}`} data-conversation-id={c.id}>
      <label className={`row-check${selecting ? ' visible' : ''}`}>
        <input
          type="checkbox"
          checked={selected}
          onChange={(e) => onToggle(c.id, (e.nativeEvent as MouseEvent).shiftKey)}
          aria-label={t('list.select', { name, number: c.number })}
        />
      </label>
      <Link
        to={href}
        className="row-link"
        aria-current={active ? 'true' : undefined}
        onPointerEnter={() => {
          // Resting on a row (not passing over it) is intent enough to load its messages.
          hover.current = window.setTimeout(() => prefetchMessages(qc, c.id), HOVER_INTENT_MS);
        }}
        onPointerLeave={() => window.clearTimeout(hover.current)}
        onPointerDown={() => prefetchMessages(qc, c.id)}
      >
        <span className="row-avatar">
          <Avatar name={name} id={c.contact.id} size={32} />
          <span className="row-channel" title={t(`channels.${c.channel}`)}>
            <ChannelIcon kind={c.channel} />
          </span>
        </span>
        <span className="row-main">
          <span className="row-top">
            <span className="row-name" dir="auto">
              {name}
            </span>
            <time className="row-time" dateTime={c.lastActivityAt} title={fullDateTime(c.lastActivityAt)}>
              {shortTime(c.lastActivityAt)}
            </time>
          </span>
          <span className="row-preview" dir="auto">
            {c.unread ? <span className="sr-only">{t('list.unread')} </span> : null}
            {c.subject ? <strong className="row-subject">{c.subject} — </strong> : null}
            {c.preview || t('list.noPreview')}
          </span>
          <span className="row-meta">
            <span className="row-number">#{c.number}</span>
            {c.priority !== 'none' ? (
              <span className={`prio prio-${c.priority}`} title={t('priority.label', { priority: t(`priority.${c.priority}`) })}>
                <IconFlag /> <span className="prio-text">{t(`priority.${c.priority}`)}</span>
              </span>
            ) : null}
            {promiseAtRisk(c) ? (
              <span
                className={`row-promise promise-${c.promise!.state}`}
                data-promise-state={c.promise!.state}
                title={t('certainty.list.promisedBy', { time: fullDateTime(c.promise!.firstResponseDueAt) })}
              >
                {t(`certainty.list.${c.promise!.state === 'at_risk' ? 'atRisk' : c.promise!.state === 'will_miss' ? 'willMiss' : 'missed'}`)}
              </span>
            ) : null}
            {c.speed ? <SpeedMarker speed={c.speed} channel={c.channel} /> : null}
            {waiting ? (
              <span className="row-waiting" title={t('list.waitingSince', { time: fullDateTime(c.waitingSince) })}>
                {t('list.waiting', { duration: waiting })}
              </span>
            ) : null}
            {c.labels.slice(0, 2).map((l) => (
              <span key={l} className="chip" style={{ '--chip': labelColors.get(l)?.color ?? '#64748b' } as React.CSSProperties}>
                {l}
              </span>
            ))}
            {c.labels.length > 2 ? <span className="chip chip-more">+{c.labels.length - 2}</span> : null}
            <span className="row-assignee" title={assignee ? t('list.assignedTo', { name: assignee.name }) : t('list.unassigned')}>
              {assignee ? <span className="mini-avatar">{initials(assignee.name)}</span> : null}
            </span>
          </span>
        </span>
      </Link>
    </div>
  );
});

/**
 * "At risk" / "Breached" against the channel's first-response target. Subscribed to the shared ticker, so it
 * appears and turns red on its own while the agent looks at the list. Nothing while the conversation is on time.
 */
function SpeedMarker({ speed, channel }: { speed: NonNullable<ConversationListItem['speed']>; channel: ConversationListItem['channel'] }) {
  const { t } = useTranslation();
  const now = useTicker();
  const state = speedStateAt(speed, now);
  if (state === 'ok') return null;
  return (
    <span
      className={`row-speed speed-${state}`}
      data-speed-state={state}
      title={t(`certainty.list.speedTitle_${state}`, { channel: t(`channels.${channel}`), minutes: speed.targetMinutes, time: fullDateTime(speed.dueAt) })}
    >
      {t(`certainty.list.speed_${state}`)}
    </span>
  );
}
