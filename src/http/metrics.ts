import client from 'prom-client';

/** Prometheus metrics of one Balie process (its own registry, so tests can run several apps in one process). */
export interface Metrics {
  registry: client.Registry;
  httpDuration: client.Histogram<'method' | 'route' | 'status'>;
  ingested: client.Counter<'channel' | 'result'>;
  jobs: client.Counter<'queue' | 'result'>;
  realtimeClients: client.Gauge;
  /** Set by the app: reads queue depths from the database when Prometheus scrapes. */
  setQueueDepthReader(reader: () => Promise<Record<string, number>>): void;
}

export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'balie_' });
  let reader: (() => Promise<Record<string, number>>) | null = null;
  const metrics: Metrics = {
    registry,
    httpDuration: new client.Histogram({
      name: 'balie_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    ingested: new client.Counter({
      name: 'balie_inbound_messages_total',
      help: 'Inbound messages through the ingest path',
      labelNames: ['channel', 'result'],
      registers: [registry],
    }),
    jobs: new client.Counter({ name: 'balie_jobs_total', help: 'Jobs handled', labelNames: ['queue', 'result'], registers: [registry] }),
    realtimeClients: new client.Gauge({ name: 'balie_realtime_clients', help: 'Connected WebSocket clients', registers: [registry] }),
    setQueueDepthReader(r) {
      reader = r;
    },
  };
  new client.Gauge({
    name: 'balie_job_queue_depth',
    help: 'Jobs waiting per queue (plus outbox rows not yet dispatched)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      if (!reader) return;
      this.reset();
      try {
        for (const [queue, depth] of Object.entries(await reader())) this.set({ queue }, depth);
      } catch {
        /* the database being down must not break /metrics */
      }
    },
  });
  return metrics;
}
