import type { ParsedMail } from 'mailparser';
import type { TestApp } from './app';

/**
 * Helpers the widget → e-mail tests share (widget-email.test.ts, widget-email-confirm.test.ts): the mails the
 * SMTP sink received for an address, the confirmation link in one, and the agent's view of conversations and
 * contacts. `env` is read at call time: the app, sink and token are created in the files' beforeAll.
 */
export interface WidgetEmailEnv {
  app: TestApp;
  sink: { messages: ParsedMail[] };
  token: string;
  emailInboxId: string;
}

export type AgentMessage = { id: string; content: string; status: string; contentAttributes: Record<string, any> };

const CONFIRMATION_SUBJECT = /^(Bevestig uw e-mailadres|Confirm your e-mail address)/;

export const isConfirmation = (m: { subject?: string }) => CONFIRMATION_SUBJECT.test(m.subject ?? '');
/** The confirmation link's path in a mail's text. */
export const linkIn = (text: string | undefined) => new URL(/https?:\/\/\S+\/widget\/confirm-email\/\S+/.exec(text ?? '')![0]).pathname;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function widgetEmailHelpers(env: () => WidgetEmailEnv) {
  /** Every mail to an address. */
  const mailsTo = (address: string) => env().sink.messages.filter((m) => JSON.stringify(m.to).includes(address));
  const confirmationsTo = (address: string) => mailsTo(address).filter(isConfirmation);
  /** The chat's mails to an address (transcript, copies): everything but the confirmation mails. */
  const chatMailsTo = (address: string) => mailsTo(address).filter((m) => !isConfirmation(m));
  const openLink = (path: string) => env().app.call('GET', path);
  /** The confirmation page's button (a form POST; opening the link alone confirms nothing). */
  const pressConfirm = (path: string) => env().app.call('POST', path, { raw: '', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const messagesOf = async (conversationId: string) =>
    (await env().app.call('GET', `/api/v1/conversations/${conversationId}/messages`, { token: env().token })).body.items as AgentMessage[];
  const reply = (conversationId: string, content: string) =>
    env().app.call('POST', `/api/v1/conversations/${conversationId}/messages`, { token: env().token, body: { kind: 'message', content } });
  /** The conversations of the workspace's e-mail inbox (where ordinary mail lands). */
  const emailConversations = async () =>
    (await env().app.call('GET', `/api/v1/conversations?inboxId=${env().emailInboxId}`, { token: env().token })).body.items as { id: string; preview: string }[];
  const contactOf = async (conversationId: string) => {
    const c = (await env().app.call('GET', `/api/v1/conversations/${conversationId}`, { token: env().token })).body;
    return (c.contactId ?? c.contact?.id) as string;
  };
  const contact = async (contactId: string) =>
    (await env().app.call('GET', `/api/v1/contacts/${contactId}`, { token: env().token })).body as { id: string; email: string | null; identities: { kind: string; value: string; verified: boolean }[] };
  const mergeSuggestionsOf = async (contactId: string) =>
    (await env().app.call('GET', `/api/v1/contacts/${contactId}/merge-suggestions`, { token: env().token })).body.items as { contact: { id: string }; reason: string; detail: string | null }[];
  return { mailsTo, confirmationsTo, chatMailsTo, openLink, pressConfirm, messagesOf, reply, emailConversations, contactOf, contact, mergeSuggestionsOf };
}
