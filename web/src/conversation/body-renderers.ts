import type { ComponentType } from 'react';
import type { Message } from '../api/types';
import { EmailBody } from './email-body';

/**
 * How a message's body is shown, by content type. Text (and markdown, shown as its source text) is rendered by
 * the built-in text body, always as text — never as HTML. A channel that brings rich bodies registers its
 * renderer here: the e-mail channel adds `html`, a sandboxed iframe fed by its own sanitizing server endpoint.
 * Until a renderer for a content type is registered, those messages show their plain-text `content`.
 *
 * A renderer gets the message and a fallback (the text body) to use when it cannot show the rich version.
 */
export interface BodyRendererProps {
  message: Message;
  Fallback: ComponentType<{ message: Message }>;
}

export const bodyRenderers: Partial<Record<Message['contentType'], ComponentType<BodyRendererProps>>> = {
  html: EmailBody,
};
