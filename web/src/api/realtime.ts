import { useSyncExternalStore } from 'react';
import type { DomainEvent, PresenceSignal } from './types';

/**
 * One WebSocket per tab to /api/v1/realtime. It reconnects with backoff; after a reconnect the app refetches
 * what it shows (events sent while it was away are gone). Presence (viewing/typing) is re-announced every
 * 20 seconds and others' presence expires after 45 seconds without news, so a closed laptop does not leave a
 * ghost "is typing".
 */
export type ConnectionState = 'connecting' | 'open' | 'offline';

type EventHandler = (e: DomainEvent) => void;

const ANNOUNCE_MS = 20_000;
const EXPIRE_MS = 45_000;

export interface PresenceEntry {
  userId: string;
  userName: string;
  state: 'viewing' | 'typing';
  at: number;
}

class Realtime {
  private ws: WebSocket | null = null;
  private workspaceId: string | null = null;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private announceTimer: ReturnType<typeof setInterval> | null = null;
  private expireTimer: ReturnType<typeof setInterval> | null = null;
  private wasOpen = false;
  private handlers = new Set<EventHandler>();
  private reconnectHandlers = new Set<() => void>();
  private openHandlers = new Set<() => void>();
  private stateListeners = new Set<() => void>();
  state: ConnectionState = 'offline';
  /** What this tab announces: conversation → state. */
  private mine = new Map<string, 'viewing' | 'typing'>();
  /** What others announce: conversation → user → entry. */
  private others = new Map<string, Map<string, PresenceEntry>>();
  private presenceListeners = new Set<() => void>();
  private presenceVersion = 0;

  connect(workspaceId: string) {
    if (this.workspaceId === workspaceId && this.ws) return;
    this.disconnect();
    this.workspaceId = workspaceId;
    this.open();
    this.announceTimer = setInterval(() => this.announceAll(), ANNOUNCE_MS);
    this.expireTimer = setInterval(() => this.expire(), 5_000);
  }

  disconnect() {
    this.workspaceId = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.announceTimer) clearInterval(this.announceTimer);
    if (this.expireTimer) clearInterval(this.expireTimer);
    this.retryTimer = this.announceTimer = this.expireTimer = null;
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000);
    this.others.clear();
    this.mine.clear();
    this.wasOpen = false;
    this.setState('offline');
  }

  private open() {
    const workspaceId = this.workspaceId;
    if (!workspaceId) return;
    this.setState('connecting');
    const url = new URL('/api/v1/realtime', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('workspaceId', workspaceId);
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onmessage = (m) => {
      let frame: { type: string; event?: DomainEvent; presence?: PresenceSignal };
      try {
        frame = JSON.parse(String(m.data));
      } catch {
        return;
      }
      if (frame.type === 'ready') {
        const reconnected = this.wasOpen;
        this.wasOpen = true;
        this.attempts = 0;
        this.setState('open');
        this.announceAll();
        this.openHandlers.forEach((h) => h());
        if (reconnected) this.reconnectHandlers.forEach((h) => h());
      } else if (frame.type === 'resync') {
        // The server's bus reconnected and may have missed events: catch up as after our own reconnect.
        this.reconnectHandlers.forEach((h) => h());
      } else if (frame.type === 'event' && frame.event) {
        for (const h of this.handlers) h(frame.event);
      } else if (frame.type === 'presence' && frame.presence) {
        this.onPresence(frame.presence);
      }
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.setState('offline');
      // 4401: the session ended; the API calls will notice and show the login. Keep trying slowly anyway.
      const delay = Math.min(30_000, 1000 * 2 ** this.attempts) * (0.5 + Math.random() / 2) * (e.code === 4401 ? 4 : 1);
      this.attempts++;
      this.retryTimer = setTimeout(() => this.open(), delay);
    };
  }

  private setState(s: ConnectionState) {
    if (this.state === s) return;
    this.state = s;
    this.stateListeners.forEach((l) => l());
  }

  onEvent(h: EventHandler) {
    this.handlers.add(h);
    return () => void this.handlers.delete(h);
  }
  onReconnect(h: () => void) {
    this.reconnectHandlers.add(h);
    return () => void this.reconnectHandlers.delete(h);
  }
  /**
   * Every time the socket is subscribed (the first time too). State that must not miss an event — a call ringing
   * right now — is read here: anything that happens after this point arrives as an event, anything before it is
   * in the answer. Reading it earlier leaves a gap between the read and the subscription.
   */
  onOpen(h: () => void) {
    this.openHandlers.add(h);
    return () => void this.openHandlers.delete(h);
  }
  subscribeState = (l: () => void) => {
    this.stateListeners.add(l);
    return () => void this.stateListeners.delete(l);
  };

  // ---------- presence ----------

  private send(msg: unknown) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  announce(conversationId: string, state: 'viewing' | 'typing' | 'left') {
    if (state === 'left') this.mine.delete(conversationId);
    else {
      if (this.mine.get(conversationId) === state) return;
      this.mine.set(conversationId, state);
    }
    this.send({ type: 'presence', conversationId, state });
  }

  private announceAll() {
    for (const [conversationId, state] of this.mine) this.send({ type: 'presence', conversationId, state });
  }

  private onPresence(p: PresenceSignal) {
    let users = this.others.get(p.conversationId);
    if (p.state === 'left') {
      if (!users?.delete(p.userId)) return;
    } else {
      if (!users) this.others.set(p.conversationId, (users = new Map()));
      const isNew = !users.has(p.userId);
      users.set(p.userId, { userId: p.userId, userName: p.userName, state: p.state, at: Date.now() });
      // Someone just opened a conversation this tab is in: answer at once, so they see us now and not only at
      // our next periodic announcement. Only for newcomers, so two tabs never keep answering each other.
      const mine = this.mine.get(p.conversationId);
      if (isNew && mine) this.send({ type: 'presence', conversationId: p.conversationId, state: mine });
    }
    this.bumpPresence();
  }

  private expire() {
    const cutoff = Date.now() - EXPIRE_MS;
    let changed = false;
    for (const users of this.others.values()) {
      for (const [id, e] of users) if (e.at < cutoff) changed = users.delete(id) || changed;
    }
    if (changed) this.bumpPresence();
  }

  private bumpPresence() {
    this.presenceVersion++;
    this.presenceListeners.forEach((l) => l());
  }

  subscribePresence = (l: () => void) => {
    this.presenceListeners.add(l);
    return () => void this.presenceListeners.delete(l);
  };
  presenceSnapshot = () => this.presenceVersion;
  presenceIn(conversationId: string): PresenceEntry[] {
    return [...(this.others.get(conversationId)?.values() ?? [])].sort((a, b) => a.userName.localeCompare(b.userName));
  }
}

export const realtime = new Realtime();

export function useConnectionState(): ConnectionState {
  return useSyncExternalStore(realtime.subscribeState, () => realtime.state);
}

/** Colleagues viewing or typing in a conversation, live. */
export function usePresence(conversationId: string | undefined): PresenceEntry[] {
  useSyncExternalStore(realtime.subscribePresence, realtime.presenceSnapshot);
  return conversationId ? realtime.presenceIn(conversationId) : [];
}
