import { and, eq, inArray } from 'drizzle-orm';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { Logger } from 'pino';
import type { Store } from '../store/db';
import { conversations, inboxMembers, memberships, outbox } from '../store/schema';
import type { DomainEvent } from '../shared/events';
import type { Runtime } from '../shared/runtime';
import type { Metrics } from '../http/metrics';
import type { Bus, BusMessage } from './bus';
import { canSee, canSeeEphemeral, type EphemeralEvent, type Viewer } from './visibility';

interface Connection {
  socket: WebSocket;
  viewer: Viewer;
  userName: string;
  alive: boolean;
  /** conversation id → inbox id, for conversations this client announced presence in (access checked). */
  known: Map<string, string>;
}

const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('presence'), conversationId: z.uuid(), state: z.enum(['viewing', 'typing', 'left']) }),
  z.object({ type: z.literal('ping') }),
]);

/**
 * Pushes events to the agents connected to this process. Every process subscribes to the bus, so an event
 * committed anywhere reaches every agent allowed to see it, wherever they are connected.
 */
export class RealtimeHub {
  private readonly connections = new Set<Connection>();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: { store: Store; bus: Bus; log: Logger; metrics: Metrics; runtime: Runtime },
  ) {
    deps.bus.subscribe((m) => void this.onBusMessage(m));
    deps.bus.onResync(() => this.broadcastFrame(JSON.stringify({ type: 'resync' })));
    this.heartbeat = setInterval(() => void this.beat(), 25_000);
    this.heartbeat.unref();
  }

  get size() {
    return this.connections.size;
  }

  async viewerFor(workspaceId: string, userId: string, role: Viewer['role']): Promise<Viewer> {
    const rows = await this.deps.store.db
      .select({ inboxId: inboxMembers.inboxId })
      .from(inboxMembers)
      .where(and(eq(inboxMembers.workspaceId, workspaceId), eq(inboxMembers.userId, userId)));
    return { userId, workspaceId, role, inboxIds: new Set(rows.map((r) => r.inboxId)) };
  }

  attach(socket: WebSocket, viewer: Viewer, userName: string) {
    const conn: Connection = { socket, viewer, userName, alive: true, known: new Map() };
    this.connections.add(conn);
    this.deps.metrics.realtimeClients.set(this.connections.size);
    socket.on('pong', () => {
      conn.alive = true;
    });
    socket.on('message', (data) => void this.onClientMessage(conn, data.toString()));
    socket.on('close', () => {
      this.connections.delete(conn);
      this.deps.metrics.realtimeClients.set(this.connections.size);
      for (const [conversationId, inboxId] of conn.known) void this.publishPresence(conn, conversationId, inboxId, 'left');
    });
    socket.send(JSON.stringify({ type: 'ready', userId: viewer.userId, workspaceId: viewer.workspaceId }));
    void this.touch([viewer]);
  }

  /** Sends one event to every local connection allowed to see it; serialized once, not per client. */
  deliver(event: DomainEvent) {
    let frame: string | null = null;
    for (const conn of this.connections) {
      if (!canSee(conn.viewer, event)) continue;
      frame ??= JSON.stringify({ type: 'event', event });
      this.send(conn, frame);
    }
    if (event.type === 'access.changed') void this.refreshAccess(event.workspaceId);
  }

  private broadcastFrame(frame: string) {
    for (const conn of this.connections) this.send(conn, frame);
  }

  private send(conn: Connection, frame: string) {
    // A client that stopped reading must not make the server buffer without bound.
    if (conn.socket.bufferedAmount > 8 * 1024 * 1024) {
      conn.socket.terminate();
      return;
    }
    if (conn.socket.readyState === conn.socket.OPEN) conn.socket.send(frame);
  }

  private async onBusMessage(message: BusMessage) {
    try {
      if (message.kind === 'batch') {
        for (const m of message.messages) await this.onBusMessage(m);
        return;
      }
      if (message.kind === 'event') this.deliver(message.event);
      else if (message.kind === 'ref') {
        const [row] = await this.deps.store.db
          .select({ payload: outbox.payload })
          .from(outbox)
          .where(and(eq(outbox.workspaceId, message.workspaceId), eq(outbox.id, message.outboxId)));
        if (row) this.deliver(row.payload as unknown as DomainEvent);
      } else {
        const frame = JSON.stringify({ type: 'presence', presence: message.event });
        for (const conn of this.connections) if (canSeeEphemeral(conn.viewer, message.event)) this.send(conn, frame);
      }
    } catch (err) {
      this.deps.log.warn({ err }, 'realtime delivery failed');
    }
  }

  private async onClientMessage(conn: Connection, raw: string) {
    if (raw.length > 4096) return;
    let parsed: z.infer<typeof clientMessage>;
    try {
      parsed = clientMessage.parse(JSON.parse(raw));
    } catch {
      this.send(conn, JSON.stringify({ type: 'error', error: { code: 'invalid_message', message: 'Unknown realtime message.' } }));
      return;
    }
    if (parsed.type === 'ping') {
      this.send(conn, JSON.stringify({ type: 'pong' }));
      return;
    }
    let inboxId = conn.known.get(parsed.conversationId);
    if (!inboxId) {
      const [row] = await this.deps.store.db
        .select({ inboxId: conversations.inboxId })
        .from(conversations)
        .where(and(eq(conversations.workspaceId, conn.viewer.workspaceId), eq(conversations.id, parsed.conversationId)));
      if (!row || !canSee(conn.viewer, { workspaceId: conn.viewer.workspaceId, scope: { inboxId: row.inboxId } })) return;
      inboxId = row.inboxId;
      conn.known.set(parsed.conversationId, inboxId);
    }
    if (parsed.state === 'left') conn.known.delete(parsed.conversationId);
    await this.publishPresence(conn, parsed.conversationId, inboxId, parsed.state);
  }

  private async publishPresence(conn: Connection, conversationId: string, inboxId: string, state: EphemeralEvent['state']) {
    const event: EphemeralEvent = {
      type: 'presence',
      workspaceId: conn.viewer.workspaceId,
      inboxId,
      conversationId,
      userId: conn.viewer.userId,
      userName: conn.userName,
      state,
      at: this.deps.runtime.now().toISOString(),
    };
    await this.deps.bus.publish({ kind: 'ephemeral', event }).catch((err: Error) => this.deps.log.warn({ err: err.message }, 'presence publish failed'));
  }

  /** Inbox access changed somewhere in a workspace: reload it for this process's agents of that workspace. */
  private async refreshAccess(workspaceId: string) {
    const affected = [...this.connections].filter((c) => c.viewer.workspaceId === workspaceId);
    const userIds = [...new Set(affected.map((c) => c.viewer.userId))];
    if (userIds.length === 0) return;
    const [access, roles] = await Promise.all([
      this.deps.store.db
        .select({ userId: inboxMembers.userId, inboxId: inboxMembers.inboxId })
        .from(inboxMembers)
        .where(and(eq(inboxMembers.workspaceId, workspaceId), inArray(inboxMembers.userId, userIds))),
      this.deps.store.db
        .select({ userId: memberships.userId, role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.workspaceId, workspaceId), inArray(memberships.userId, userIds))),
    ]);
    for (const conn of affected) {
      const role = roles.find((r) => r.userId === conn.viewer.userId)?.role;
      // Removed from the workspace: the connection ends.
      if (!role) {
        conn.socket.close(4403, 'access revoked');
        continue;
      }
      conn.viewer = {
        ...conn.viewer,
        role,
        inboxIds: new Set(access.filter((a) => a.userId === conn.viewer.userId).map((a) => a.inboxId)),
      };
      conn.known.clear();
    }
  }

  /** Marks connected agents as seen (auto-assignment only picks agents who are really there) and drops dead sockets. */
  private async beat() {
    for (const conn of this.connections) {
      if (!conn.alive) {
        conn.socket.terminate();
        continue;
      }
      conn.alive = false;
      conn.socket.ping();
    }
    await this.touch([...this.connections].map((c) => c.viewer));
  }

  private async touch(viewers: Viewer[]) {
    const seen = new Map(viewers.map((v) => [`${v.workspaceId}:${v.userId}`, v]));
    if (seen.size === 0) return;
    const now = this.deps.runtime.now();
    try {
      for (const v of seen.values()) {
        await this.deps.store.db
          .update(memberships)
          .set({ lastSeenAt: now })
          .where(and(eq(memberships.workspaceId, v.workspaceId), eq(memberships.userId, v.userId)));
      }
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message }, 'could not record agent presence');
    }
  }

  close() {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const conn of this.connections) conn.socket.close(1001, 'server shutting down');
    this.connections.clear();
  }
}
