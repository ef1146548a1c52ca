import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { useChannelKinds } from '../api/queries';
import type { Conversation } from '../api/types';
import { smsSegments } from '../../../src/shared/sms-segments';

/**
 * What the conversation's channel allows, shown under the composer: a length counter against the channel's
 * maximum, SMS segments (GSM-7/UCS-2), the 24-hour window countdown, and — where the channel has templates and
 * the window is closed — a template picker with its variables.
 */

interface Template {
  name: string;
  language: string;
  body: string;
  variables: number;
}
export interface TemplateChoice {
  name: string;
  language: string;
  variables: string[];
}

const fill = (body: string, vars: string[]) => body.replace(/\{\{(\d+)\}\}/g, (_, n: string) => vars[Number(n) - 1] || `{{${n}}}`);

function useNow(everyMs: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const h = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(h);
  }, [everyMs]);
  return now;
}

export function ChannelLimits({ conversation, content, template, onTemplate }: { conversation: Conversation; content: string; template: TemplateChoice | null; onTemplate(choice: TemplateChoice | null, text: string): void }) {
  const { t } = useTranslation();
  const kind = useChannelKinds().data?.find((k) => k.kind === conversation.channel);
  const now = useNow(30_000);
  const caps = kind?.capabilities;
  const lastInbound = conversation.lastInboundAt ? Date.parse(conversation.lastInboundAt) : NaN;
  const left = Number.isFinite(lastInbound) ? lastInbound + 24 * 3_600_000 - now : -1;
  const windowClosed = Boolean(caps?.window24h) && left <= 0;
  const templates = useQuery({
    queryKey: ['inbox-templates', conversation.inboxId],
    queryFn: () => api.get<{ items: Template[] }>(`/api/v1/inboxes/${conversation.inboxId}/templates`),
    enabled: Boolean(caps?.templates),
    staleTime: 5 * 60_000,
  });
  if (!caps) return null;
  const picked = template ? templates.data?.items.find((x) => x.name === template.name && x.language === template.language) : undefined;
  const sms = conversation.channel === 'sms' ? smsSegments(content) : null;
  const over = caps.maxLength !== null && content.length > caps.maxLength;
  const hours = Math.floor(left / 3_600_000);
  const minutes = Math.floor((left % 3_600_000) / 60_000);
  return (
    <div className="channel-limits small" data-testid="channel-limits">
      {caps.maxLength !== null ? (
        <span className={over ? 'error-text' : 'muted'} data-testid="length-counter">
          {t('channelLimits.length', { count: content.length, max: caps.maxLength })}
        </span>
      ) : null}
      {sms && sms.segments > 0 ? (
        <span className="muted" data-testid="sms-segments">
          {' · '}
          {t('channelLimits.segments', { count: sms.segments, encoding: sms.encoding })}
        </span>
      ) : null}
      {caps.window24h ? (
        <span className={windowClosed ? 'error-text' : 'muted'} data-testid="window-countdown">
          {' · '}
          {windowClosed ? t('channelLimits.windowClosed') : t('channelLimits.windowOpen', { time: `${hours} h ${String(minutes).padStart(2, '0')} min` })}
        </span>
      ) : null}
      {caps.templates && (windowClosed || template) ? (
        <div className="template-picker">
          <label>
            {t('channelLimits.template')}{' '}
            <select
              className="input"
              value={template ? `${template.name}|${template.language}` : ''}
              onChange={(e) => {
                const tpl = templates.data?.items.find((x) => `${x.name}|${x.language}` === e.target.value);
                if (!tpl) return onTemplate(null, '');
                const vars = Array.from({ length: tpl.variables }, () => '');
                onTemplate({ name: tpl.name, language: tpl.language, variables: vars }, fill(tpl.body, vars));
              }}
            >
              <option value="">{t('channelLimits.noTemplate')}</option>
              {(templates.data?.items ?? []).map((x) => (
                <option key={`${x.name}|${x.language}`} value={`${x.name}|${x.language}`}>
                  {x.name} ({x.language})
                </option>
              ))}
            </select>
          </label>
          {templates.isError ? <span className="error-text">{t('channelLimits.templatesFailed')}</span> : null}
          {picked && template
            ? template.variables.map((v, i) => (
                <input
                  key={i}
                  className="input"
                  aria-label={t('channelLimits.variable', { n: i + 1 })}
                  placeholder={`{{${i + 1}}}`}
                  value={v}
                  onChange={(e) => {
                    const vars = template.variables.map((x, j) => (j === i ? e.target.value : x));
                    onTemplate({ ...template, variables: vars }, fill(picked.body, vars));
                  }}
                />
              ))
            : null}
        </div>
      ) : null}
    </div>
  );
}
