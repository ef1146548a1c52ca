import { and, desc, eq } from 'drizzle-orm';
import type { WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { Store } from '../store/db';
import { conversations, outbox } from '../store/schema';
import type { DomainEvent } from '../shared/events';
import type { MessageDto } from '../shared/api';
import type { Runtime } from '../shared/runtime';
import type { Bus, BusMessage } from './bus';
import { findVisitorContact, type Visitor } from '../app/widget-visitor';
import { PRESENCE_REFRESH_MS, touchPresence } from '../app/widget-presence';
import type { VisitorMessage, WidgetLiveFrame } from '../shared/widget';

interface VisitorConnection {
  /** This socket's row in widget_connections (presence is per visitor: away when no socket is left). */
  id: string;
  socket: WebSocket;
  visitor: Visitor;
  contactId: string | null;
  contactName: string;
  conversationId: string | null;
  alive: boolean;
  /** When this connection last wrote the visitor's presence (ms). */
  touchedAt: number;
  /** The presence writes of this socket, in order. */
  writes: Promise<void>;
  closed: boolean;
}

/**
 * Pushes a visitor's conversation to their open widgets (every tab), wherever the event was committed: it
 * listens on the same bus as the agents' hub. Only customer-visible messages of the visitor's own contact in
 * this inbox pass — internal notes and activities never reach a visitor.
 */
export class WidgetHub {
  private readonly connections = new Set<VisitorConnection>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly deps: { store: Store; bus: Bus; log: Logger; runtime: Runtime }) {
    deps.bus.subscribe((m) => void this.onBus(m));
    // The bus may have missed messages while it reconnected: every open widget catches up.
    deps.bus.onResync(() => {
      for (const c of this.connections) this.send(c, { type: 'sync' });
    });
    this.heartbeat = setInterval(() => {
      for (const c of this.connections) {
        if (!c.alive) c.socket.terminate();
        else {
          c.alive = false;
          c.socket.ping();
        }
      }
    }, 25_000);
    this.heartbeat.unref();
  }

  get size() {
    return this.connections.size;
  }

  async attach(socket: WebSocket, visitor: Visitor) {
    const conn: VisitorConnection = { id: this.deps.runtime.id(), socket, visitor, contactId: null, contactName: '', conversationId: null, alive: true, touchedAt: 0, writes: Promise.resolve(), closed: false };
    this.connections.add(conn);
    socket.on('pong', () => {
      conn.alive = true;
      void this.touch(conn);
    });
    socket.on('close', () => {
      this.connections.delete(conn);
      // The widget was open until now: what arrived before this moment was on the visitor's screen.
      void this.touch(conn, true, 'closed');
    });
    socket.on('message', (data) => void this.onClient(conn, data.toString()));
    await this.bind(conn);
    this.send(conn, { type: 'ready' });
  }

  /** (Re)learns the visitor's contact and current conversation (after their first message created them). */
  private async bind(conn: VisitorConnection) {
    const contact = await findVisitorContact(this.deps.store.db, conn.visitor);
    if (!contact) return;
    conn.contactId = contact.id;
    conn.contactName = contact.name;
    void this.touch(conn, true);
    const [conv] = await this.deps.store.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.workspaceId, conn.visitor.workspaceId), eq(conversations.inboxId, conn.visitor.inboxId), eq(conversations.contactId, contact.id)))
      .orderBy(desc(conversations.lastActivityAt))
      .limit(1);
    conn.conversationId = conv?.id ?? null;
  }

  private async onClient(conn: VisitorConnection, raw: string) {
    if (raw.length > 1024) return;
    let msg: { type?: string };
    try {
      msg = JSON.parse(raw) as { type?: string };
    } catch {
      return;
    }
    if (msg.type === 'ping') {
      this.send(conn, { type: 'pong' });
      void this.touch(conn);
    }
    else if (msg.type === 'bind') {
      await this.bind(conn).catch(() => {});
      // Whatever happened before the binding (the bot's answer to the first message) is fetched by the widget.
      this.send(conn, { type: 'sync' });
    }
    else if (msg.type === 'typing' && conn.contactId && conn.conversationId) {
      await this.deps.bus
        .publish({
          kind: 'ephemeral',
          event: {
            type: 'presence',
            workspaceId: conn.visitor.workspaceId,
            inboxId: conn.visitor.inboxId,
            conversationId: conn.conversationId,
            userId: conn.contactId,
            userName: conn.contactName || 'Visitor',
            state: 'typing',
            at: this.deps.runtime.now().toISOString(),
          },
        })
        .catch(() => {});
    }
  }

  /** Visitor presence in the database (app/widget-presence.ts), at most every PRESENCE_REFRESH_MS per socket. */
  private async touch(conn: VisitorConnection, force = false, state: 'open' | 'closed' = 'open') {
    if (state === 'closed') conn.closed = true;
    else if (conn.closed) return;
    if (!conn.contactId) return;
    const now = this.deps.runtime.now();
    if (!force && now.getTime() - conn.touchedAt < PRESENCE_REFRESH_MS) return;
    conn.touchedAt = now.getTime();
    const key = { workspaceId: conn.visitor.workspaceId, inboxId: conn.visitor.inboxId, contactId: conn.contactId };
    // One write at a time per socket: a refresh still in flight must not re-create the row its close removed.
    conn.writes = conn.writes.then(() =>
      touchPresence(this.deps.store.db, key, now, { id: conn.id, state }).catch((err: Error) => this.deps.log.warn({ err: err.message }, 'widget presence not stored')),
    );
    await conn.writes;
  }

  private send(conn: VisitorConnection, frame: WidgetLiveFrame) {
    if (conn.socket.bufferedAmount > 1024 * 1024) return conn.socket.terminate();
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(JSON.stringify(frame));
  }

  private async onBus(m: BusMessage): Promise<void> {
    try {
      if (m.kind === 'batch') {
        for (const x of m.messages) await this.onBus(x);
      } else if (m.kind === 'event') this.deliver(m.event);
      else if (m.kind === 'ref') {
        if (this.connections.size === 0) return;
        const [row] = await this.deps.store.db
          .select({ payload: outbox.payload })
          .from(outbox)
          .where(and(eq(outbox.workspaceId, m.workspaceId), eq(outbox.id, m.outboxId)));
        if (row) this.deliver(row.payload as unknown as DomainEvent);
      } else if (m.event.state === 'typing') {
        for (const c of this.connections) {
          // An agent typing in this visitor's conversation (not the visitor's own echo).
          if (c.conversationId === m.event.conversationId && m.event.userId !== c.contactId) this.send(c, { type: 'typing' });
        }
      }
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message }, 'widget delivery failed');
    }
  }

  private deliver(event: DomainEvent) {
    if (this.connections.size === 0 || event.scope.internal || !event.scope.contactId) return;
    for (const c of this.connections) {
      if (c.visitor.workspaceId !== event.workspaceId || c.visitor.inboxId !== event.scope.inboxId || c.contactId !== event.scope.contactId) continue;
      if (event.type === 'message.created' || event.type === 'message.updated') {
        const dto = (event.data as { message?: MessageDto }).message;
        if (!dto || dto.kind !== 'message') continue;
        c.conversationId = dto.conversationId;
        this.send(c, { type: 'message', message: fromDto(dto) });
      } else if (event.type === 'conversation.status_changed' || event.type === 'conversation.updated' || event.type === 'conversation.created') {
        const conv = (event.data as { conversation?: { id: string; status: string } }).conversation;
        if (!conv) continue;
        c.conversationId = conv.id;
        this.send(c, { type: 'conversation', conversation: { id: conv.id, status: conv.status } });
      }
    }
  }

  close() {
    clearInterval(this.heartbeat);
    for (const c of this.connections) c.socket.close(1001, 'server shutting down');
    this.connections.clear();
  }
}

function fromDto(m: MessageDto): VisitorMessage {
  const attrs = m.contentAttributes as { bot?: VisitorMessage['bot'] };
  return {
    id: m.id,
    from: m.senderType === 'contact' ? 'visitor' : m.senderType === 'bot' ? 'bot' : 'agent',
    senderName: m.senderType === 'user' ? (m.senderName?.split(' ')[0] ?? null) : null,
    content: m.content,
    createdAt: m.createdAt,
    attachments: m.attachments.map((a) => ({ id: a.id, fileName: a.fileName, contentType: a.contentType, size: a.size })),
    ...(attrs?.bot ? { bot: attrs.bot } : {}),
  };
}
