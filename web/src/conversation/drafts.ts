/**
 * Drafts per agent and conversation in localStorage: they survive switching conversations, a reload, a crash
 * and an expired session (the login appears over the screen and the text is still there afterwards).
 */
export interface Draft {
  content: string;
  mode: 'message' | 'note';
  mentions: { id: string; name: string }[];
  savedAt: number;
}

const key = (userId: string, conversationId: string) => `balie.draft.${userId}.${conversationId}`;
/** Drafts older than this are dropped (they would only surprise the agent). */
const MAX_AGE_MS = 30 * 24 * 3600_000;

export function loadDraft(userId: string, conversationId: string): Draft | null {
  try {
    const raw = localStorage.getItem(key(userId, conversationId));
    if (!raw) return null;
    const d = JSON.parse(raw) as Draft;
    if (typeof d.content !== 'string' || Date.now() - d.savedAt > MAX_AGE_MS) return null;
    return { content: d.content, mode: d.mode === 'note' ? 'note' : 'message', mentions: Array.isArray(d.mentions) ? d.mentions : [], savedAt: d.savedAt };
  } catch {
    return null;
  }
}

export function saveDraft(userId: string, conversationId: string, d: Omit<Draft, 'savedAt'>) {
  try {
    if (!d.content.trim()) localStorage.removeItem(key(userId, conversationId));
    else localStorage.setItem(key(userId, conversationId), JSON.stringify({ ...d, savedAt: Date.now() }));
  } catch {
    /* storage full or blocked: the draft lives in memory for this visit */
  }
}

export function clearDraft(userId: string, conversationId: string) {
  try {
    localStorage.removeItem(key(userId, conversationId));
  } catch {
    /* ignore */
  }
}
