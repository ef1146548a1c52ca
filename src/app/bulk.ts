import { and, inArray } from 'drizzle-orm';
import { conversations } from '../store/schema';
import type { BulkInput } from '../shared/agent-app';
import { AppError } from '../shared/errors';
import type { Actor, Deps } from './context';
import { assignConversation, changeStatus, markRead, setLabels, setPriority } from './conversations';
import { visibleConversations } from './conversation-list';

export interface BulkResult {
  succeeded: string[];
  failed: { id: string; code: string; message: string }[];
}

/**
 * One action on many selected conversations. Each conversation goes through the same use case as a single
 * action (own transaction, activity line, events), so a bulk change looks to everyone exactly like N
 * separate ones; one refusal (a transition the state machine forbids) does not undo the others, it is reported.
 */
export async function bulkAction(deps: Deps, actor: Actor, input: BulkInput): Promise<BulkResult> {
  const ids = [...new Set(input.conversationIds.map((i) => i.toLowerCase()))];
  const rows = await deps.store.db
    .select()
    .from(conversations)
    .where(and(visibleConversations(actor), inArray(conversations.id, ids)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const result: BulkResult = { succeeded: [], failed: [] };
  const { action } = input;
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) {
      result.failed.push({ id, code: 'not_found', message: 'The conversation does not exist.' });
      continue;
    }
    try {
      switch (action.type) {
        case 'assign':
          await assignConversation(deps, actor, actor.workspaceId, id, { assigneeId: action.assigneeId, teamId: action.teamId });
          break;
        case 'labels': {
          const remove = new Set(action.remove.map((l) => l.toLowerCase()));
          await setLabels(deps, actor, actor.workspaceId, id, (current) => {
            const kept = current.filter((l) => !remove.has(l.toLowerCase()));
            const have = new Set(kept.map((l) => l.toLowerCase()));
            return [...kept, ...action.add.filter((l) => !remove.has(l.toLowerCase()) && !have.has(l.toLowerCase()))];
          });
          break;
        }
        case 'status':
          await changeStatus(deps, actor, actor.workspaceId, id, action.status, action.snoozedUntil ? new Date(action.snoozedUntil) : undefined);
          break;
        case 'priority':
          await setPriority(deps, actor, actor.workspaceId, id, action.priority);
          break;
        case 'read':
          await markRead(deps, actor, row);
          break;
      }
      result.succeeded.push(id);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      result.failed.push({ id, code: err.code, message: err.message });
    }
  }
  return result;
}
