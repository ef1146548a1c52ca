import { useTranslation } from 'react-i18next';
import './i18n';
import { useUsers } from '../api/queries';
import type { Message } from '../api/types';
import { dateTime, fullDateTime, timeOnly } from '../i18n/format';
import { IconPhone } from '../ui/icons';
import { callStore } from './call-store';
import { agreementOf, callOf, seconds, type AgreementInfo, type CallInfo } from './types';

/**
 * A phone call on the conversation and the customer's timeline: direction, from → to, wait and talk time, the
 * agent, the outcome and the recording (an audio player and a download), plus the agreement of its post-call
 * summary and whether the customer confirmed it.
 */
export function CallCard({ message, compact }: { message: Message; compact?: boolean }) {
  const { t } = useTranslation();
  const call = callOf(message.contentAttributes)!;
  const agreement = agreementOf(message.contentAttributes);
  const users = useUsers().data ?? [];
  const agent = users.find((u) => u.id === call.agentUserId)?.name ?? null;
  const live = !call.endedAt && !call.outcome ? 'ringing' : call.status === 'in_progress' ? 'live' : null;
  const recording = message.attachments.find((a) => a.id === call.recordingAttachmentId);
  return (
    <div className={`call-card call-${call.outcome ?? 'live'}${compact ? ' compact' : ''}`} data-call-id={call.id} data-testid="call-card">
      <div className="call-card-head">
        <span className="call-icon" aria-hidden="true">
          <IconPhone />
        </span>
        <strong>{t(`voice.card.${call.direction}`)}</strong>
        <span className={`call-outcome outcome-${call.outcome ?? 'none'}`}>{live ? t(`voice.card.${live}`) : t(`voice.outcome.${call.outcome ?? 'none'}`)}</span>
        <time className="muted small" dateTime={call.startedAt} title={fullDateTime(call.startedAt)}>
          {compact ? dateTime(call.startedAt) : timeOnly(call.startedAt)}
        </time>
      </div>
      <p className="call-numbers" dir="ltr">
        {t('voice.card.fromTo', { from: call.from === 'withheld' ? t('voice.pop.withheld') : call.from, to: call.to })}
      </p>
      {!compact ? (
        <dl className="call-facts">
          <div>
            <dt>{t('voice.card.wait')}</dt>
            <dd>{seconds(call.waitSeconds)}</dd>
          </div>
          <div>
            <dt>{t('voice.card.talk')}</dt>
            <dd>{seconds(call.talkSeconds)}</dd>
          </div>
          <div>
            <dt>{t('voice.card.agent')}</dt>
            <dd>{agent ?? '–'}</dd>
          </div>
        </dl>
      ) : null}
      {call.recordingUrl ? (
        <div className="call-recording">
          <span className="muted small">
            {t('voice.card.recording')} ({seconds(call.recordingSeconds)})
          </span>
          {!compact ? (
            <>
              <audio controls preload="none" src={call.recordingUrl} aria-label={t('voice.card.recording')} />
              <a href={call.recordingUrl} download={recording?.fileName ?? 'recording.mp3'} className="link-btn small">
                ↓ {recording?.fileName ?? 'mp3'}
              </a>
            </>
          ) : null}
        </div>
      ) : call.outcome === 'voicemail' ? (
        <p className="muted small">{t('voice.card.recordingPending')}</p>
      ) : null}
      {agreement ? <AgreementLine a={agreement} /> : null}
      {!agreement && !compact && call.outcome === 'answered' && call.endedAt ? (
        <button type="button" className="btn btn-small" onClick={() => callStore.askSummary(call as CallInfo, message.conversationId)}>
          {t('voice.card.summarize')}
        </button>
      ) : null}
    </div>
  );
}

export function AgreementLine({ a }: { a: AgreementInfo }) {
  const { t } = useTranslation();
  return (
    <div className={`agreement-line agreement-${a.status}`} data-agreement-status={a.status}>
      <p>
        <strong>{t('voice.card.agreement')}:</strong> <span dir="auto">{a.summary}</span>
      </p>
      {a.nextStep ? <p className="small">{t('voice.card.nextStep', { step: a.nextStep, when: a.dueAt ? dateTime(a.dueAt) : '–' })}</p> : null}
      <p className={`agreement-status status-${a.status}`} role="status">
        {a.status === 'confirmed' ? '✓ ' : a.status === 'corrected' ? '✎ ' : ''}
        {t(`voice.card.agreementStatus.${a.status}`)}
      </p>
      {a.correction ? <p className="small" dir="auto">{t('voice.card.correction', { text: a.correction })}</p> : null}
    </div>
  );
}

/** Whether a message is a phone call (rendered as a call card instead of a text bubble). */
export const isCallMessage = (m: Message) => !!callOf(m.contentAttributes);
