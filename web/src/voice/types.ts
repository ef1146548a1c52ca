/** What the phone API returns (src/app/voice-calls.ts callDto, call-log.ts, callbacks.ts, call-suggestion.ts). */
export interface CallInfo {
  id: string;
  direction: 'inbound' | 'outbound' | 'callback';
  from: string;
  to: string;
  status: string;
  outcome: 'answered' | 'missed' | 'voicemail' | 'callback_requested' | 'abandoned' | 'failed' | null;
  agentUserId: string | null;
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  waitSeconds: number | null;
  talkSeconds: number | null;
  recordingSeconds: number | null;
  recordingAttachmentId: string | null;
  recordingUrl: string | null;
}

export interface AgreementInfo {
  id: string;
  status: 'proposed' | 'confirmed' | 'corrected';
  summary: string;
  nextStep: string;
  dueAt: string | null;
  correction?: string | null;
}

export interface CallLogItem extends CallInfo {
  inboxId: string;
  conversationId: string;
  conversationNumber: number;
  contactId: string;
  contactName: string;
  agentName: string | null;
  agreement: AgreementInfo | null;
}

export interface ScreenPop {
  state: 'ringing' | 'answered' | 'ended';
  call: CallInfo;
  conversationId: string;
  contactId: string;
  inboxId: string;
  known?: boolean;
}

export interface CallbackItem {
  id: string;
  conversationId: string;
  conversationNumber: number;
  contactId: string;
  contactName: string;
  phone: string;
  preferredTime: string;
  note: string;
  source: string;
  status: 'requested' | 'scheduled' | 'done' | 'cancelled' | 'unreachable';
  dueAt: string;
  /** Until when calling is on time (the picked slot's end); overdue after it. */
  windowEndsAt: string | null;
  overdue: boolean;
  assigneeId: string | null;
  attempts: number;
  lastAttemptAt: string | null;
  lastOutcome: string | null;
  createdAt: string;
}

export type PingPongReason =
  | { kind: 'exchanges'; count: number }
  | { kind: 'repeated_question'; excerpt: string }
  | { kind: 'frustration'; signal: string }
  | { kind: 'promise_at_risk' };

export interface CallSuggestion {
  suggestCall: boolean;
  reasons: PingPongReason[];
  channel: string | null;
  phone: string | null;
  canCall: boolean;
  followed: { action: 'called' | 'callback_offered'; at: string } | null;
  effect: { resolvedAfter: boolean; contactsWithin7Days: number } | null;
  openCallbacks: number;
}

export const callOf = (attrs: Record<string, unknown>): CallInfo | null => {
  const c = attrs.call as Partial<CallInfo> | undefined;
  return c && typeof c.id === 'string' ? (c as CallInfo) : null;
};
export const agreementOf = (attrs: Record<string, unknown>): AgreementInfo | null => {
  const a = attrs.agreement as Partial<AgreementInfo> | undefined;
  return a && typeof a.id === 'string' ? (a as AgreementInfo) : null;
};

/** "1:05" / "1:02:03" for a number of seconds. */
export function seconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return '–';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
