import { sql } from 'drizzle-orm';
import type { TestApp } from './app';
import { watchPromises } from '../../src/app/promises';

/**
 * Puts a conversation's recorded promise at a point in its life: made `madeMinutesAgo` ago and due in
 * `dueInMinutes` (negative: already overdue). The promise watch job then moves it to the state that follows, so
 * tests see at-risk and will-miss promises without waiting hours. Needs an always-open calendar to be exact.
 */
export async function agePromise(app: TestApp, conversationId: string, madeMinutesAgo: number, dueInMinutes: number) {
  await app.balie.services.store.rows(sql`
    update conversation_promises set made_at = now() - ${`${madeMinutesAgo} minutes`}::interval,
      first_response_due_at = now() + ${`${dueInMinutes} minutes`}::interval
    where conversation_id = ${conversationId}`);
}

export const runPromiseWatch = (app: TestApp) => watchPromises(app.balie.services);
