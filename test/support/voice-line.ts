import { addMember, createTestApp, setupWorkspace, type Res, type TestApp } from './app';
import { startTwilioFake, TW } from './fakes/twilio';
import type { Post } from './fakes/twilio-voice';
import type { Runtime } from '../../src/shared/runtime';

/**
 * A workspace with a phone line for the voice tests: two agents (Lotte and Sem, each on their own phone) rung
 * round robin, a fake Twilio, and the line open around the clock unless a test closes it.
 */
export const LOTTE = '+31611111111';
export const SEM = '+31622222222';
export const alwaysOpenWeek = (open = true) => Array.from({ length: 7 }, () => (open ? [{ start: '00:00', end: '24:00' }] : []));

export interface VoiceLine {
  app: TestApp;
  token: string;
  workspaceId: string;
  inboxId: string;
  lotte: { userId: string; token: string };
  sem: { userId: string; token: string };
  twilio: Awaited<ReturnType<typeof startTwilioFake>>;
  /** The answer to creating the line (its webhook URL, and no secrets). */
  created: Res;
  /** Posts a (signed) webhook the fake Twilio made to its full URL. */
  post: Post;
  voiceUrl(): string;
  /** Opens or closes the line around the clock (its certainty calendar). */
  setOpen(open: boolean): Promise<Res>;
  close(): Promise<void>;
}

export async function startVoiceLine(opts: { env?: Record<string, string>; runtime?: Runtime; settings?: Record<string, unknown> } = {}): Promise<VoiceLine> {
  const app = await createTestApp({ env: opts.env, runtime: opts.runtime });
  const ws = await setupWorkspace(app);
  const lotte = await addMember(app, ws.workspaceId, 'agent', 'Lotte');
  const sem = await addMember(app, ws.workspaceId, 'agent', 'Sem');
  const twilio = await startTwilioFake();
  const created = await app.call('POST', '/api/v1/inboxes', {
    token: ws.apiToken,
    body: {
      name: 'Telefoon',
      kind: 'voice',
      memberIds: [lotte.userId, sem.userId],
      settings: {
        accountSid: TW.accountSid,
        authToken: TW.authToken,
        phoneNumber: TW.number,
        apiBaseUrl: twilio.url,
        agents: [
          { userId: lotte.userId, number: LOTTE },
          { userId: sem.userId, number: SEM },
        ],
        ...opts.settings,
      },
    },
  });
  if (created.status !== 201) throw new Error(`creating the phone line failed: ${created.status} ${created.text}`);
  const inboxId = created.body.id as string;
  const line: VoiceLine = {
    app,
    token: ws.apiToken,
    workspaceId: ws.workspaceId,
    inboxId,
    lotte,
    sem,
    twilio,
    created,
    async post(url, body, headers) {
      const u = new URL(url);
      const res = await app.call('POST', u.pathname + u.search, { raw: body, headers });
      return { status: res.status, text: res.text };
    },
    voiceUrl: () => `${app.config.publicUrl}/webhooks/voice/${inboxId}`,
    setOpen: (open) =>
      app.call('PATCH', '/api/v1/certainty/settings', { token: ws.apiToken, body: { calendars: { [inboxId]: { timeZone: 'Europe/Amsterdam', week: alwaysOpenWeek(open), dutchHolidays: false } } } }),
    async close() {
      await app.close();
      await twilio.stop();
    },
  };
  const opened = await line.setOpen(true);
  if (opened.status !== 200) throw new Error(`opening the line failed: ${opened.status} ${opened.text}`);
  return line;
}
