import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../api/types';
import { number } from '../i18n/format';
import { bodyRenderers } from './body-renderers';

/** Long messages (a pasted log, a 1 MB e-mail) show their start; the rest on request, so the view stays quick. */
export const TEXT_PREVIEW_CHARS = 4000;

export function TextBody({ message }: { message: Message }) {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const text = message.content;
  const long = text.length > TEXT_PREVIEW_CHARS;
  return (
    <div className="msg-text" dir="auto">
      {long && !all ? `${text.slice(0, TEXT_PREVIEW_CHARS)}…` : text}
      {long ? (
        <button type="button" className="link-btn show-all" onClick={() => setAll(!all)}>
          {all ? t('message.showLess') : t('message.showAll', { count: text.length, chars: number(text.length) })}
        </button>
      ) : null}
    </div>
  );
}

export function MessageBody({ message }: { message: Message }) {
  const Rich = bodyRenderers[message.contentType];
  if (Rich) return <Rich message={message} Fallback={TextBody} />;
  return <TextBody message={message} />;
}
