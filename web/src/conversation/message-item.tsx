import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attachment, ChannelKind, Message } from '../api/types';
import { bytes, fullDateTime, timeOnly } from '../i18n/format';
import { Avatar } from '../ui/avatar';
import { ChannelIcon, IconAlert, IconCheck, IconCheckDouble, IconClock, IconDownload, IconNote, IconRefresh } from '../ui/icons';
import { activityText } from './activity-text';
import { MessageBody } from './message-body';
import { CallCard, isCallMessage } from '../voice/call-card';

/** Images we preview inline; SVG never (it can carry script), everything else is a download. */
const PREVIEWABLE = /^image\/(png|jpe?g|gif|webp|avif|bmp)$/i;

function Attachments({ files }: { files: Attachment[] }) {
  const { t } = useTranslation();
  if (!files.length) return null;
  return (
    <ul className="attachments" aria-label={t('message.attachments')}>
      {files.map((f) => (
        <li key={f.id}>
          {PREVIEWABLE.test(f.contentType) ? (
            <a href={f.url} download={f.fileName} className="attachment-image" title={t('message.download', { name: f.fileName })}>
              <img src={`${f.url}?inline=1`} alt={f.fileName} loading="lazy" />
            </a>
          ) : (
            <a href={f.url} download={f.fileName} className="attachment-file" rel="noopener">
              <IconDownload />
              <span className="attachment-name" dir="auto">
                {f.fileName}
              </span>
              <span className="muted small">{bytes(f.size)}</span>
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}

function DeliveryState({ m, onRetry }: { m: Message; onRetry(m: Message): void }) {
  const { t } = useTranslation();
  if (m.direction !== 'outbound' || m.kind !== 'message') return null;
  const label = t(`delivery.${m.status}`);
  // Delivered by another inbox's channel (WhatsApp → SMS): say so, with that channel's delivery state.
  const fallback = m.contentAttributes.fallback as { channel?: string } | undefined;
  const via = fallback?.channel ? t('delivery.viaFallback', { channel: t(`channels.${fallback.channel}`) }) : null;
  if (m.status === 'failed') {
    return (
      <span className="delivery failed" role="status">
        <IconAlert /> {via ? `${via} — ${label}` : label}
        {m.statusReason ? <span className="delivery-reason">: {m.statusReason}</span> : null}
        <button type="button" className="btn btn-small" onClick={() => onRetry(m)}>
          <IconRefresh /> {t('delivery.retry')}
        </button>
      </span>
    );
  }
  const Icon = m.status === 'queued' ? IconClock : m.status === 'sent' ? IconCheck : IconCheckDouble;
  if (via) {
    return (
      <span className={`delivery ${m.status} delivery-fallback`} title={`${via} — ${label}`} data-fallback={fallback?.channel}>
        <Icon /> {via} — {label}
      </span>
    );
  }
  return (
    <span className={`delivery ${m.status}`} title={label}>
      <Icon />
      <span className="sr-only">{label}</span>
    </span>
  );
}

export const MessageItem = memo(function MessageItem({ m, channel, onRetry }: { m: Message; channel: ChannelKind; onRetry(m: Message): void }) {
  const { t } = useTranslation();
  const time = (
    <time dateTime={m.createdAt} title={fullDateTime(m.createdAt)}>
      {timeOnly(m.createdAt)}
    </time>
  );
  if (m.kind === 'activity') {
    return (
      <li className="msg-activity" data-message-id={m.id}>
        <span>{activityText(t, m)}</span> · {time}
      </li>
    );
  }
  if (isCallMessage(m)) return <li className="msg msg-call" data-message-id={m.id}><CallCard message={m} /></li>;
  const note = m.kind === 'note';
  const inbound = m.direction === 'inbound';
  // The answer bot never passes for a person: its messages carry a visible tag.
  const bot = m.senderType === 'bot';
  const name = bot ? t('message.botName') : (m.senderName ?? (inbound ? t('contact.unknown') : t('message.system')));
  return (
    <li className={`msg ${note ? 'msg-note' : inbound ? 'msg-in' : 'msg-out'}${bot ? ' msg-bot' : ''}`} data-message-id={m.id} aria-label={note ? t('message.noteBy', { name }) : undefined}>
      {!note ? <Avatar name={name} id={m.senderId ?? name} size={28} /> : null}
      <div className="msg-bubble">
        <div className="msg-head">
          {note ? (
            <span className="note-tag">
              <IconNote /> {t('message.note')}
            </span>
          ) : (
            <span className="msg-channel" title={t(`channels.${channel}`)}>
              <ChannelIcon kind={channel} />
              <span className="sr-only">{t(`channels.${channel}`)}</span>
            </span>
          )}
          <span className="msg-sender" dir="auto">
            {name}
          </span>
          {bot ? (
            <span className="bot-tag" title={t('message.botTitle')}>
              {t('message.botTag')}
            </span>
          ) : null}
          {time}
          <DeliveryState m={m} onRetry={onRetry} />
        </div>
        <MessageBody message={m} />
        <Attachments files={m.attachments} />
      </div>
    </li>
  );
});
