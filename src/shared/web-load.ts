/**
 * How busy this process's HTTP side is, so background work in the same process can give way to it.
 *
 * A provider waits for the acknowledgement of its webhook (and retries when it is slow); turning the stored event
 * into a message is a job that may run a moment later. When `npm start` runs web and job workers in one process
 * on two cores, a burst of webhooks and the jobs it creates compete for the same CPU and the acknowledgements
 * slow down. So while requests arrive faster than `busyPerSecond`, an inbound-event job first pauses for
 * `pauseMs`: the burst is acknowledged at full speed and worked off as it eases. Processing is never stopped —
 * each job waits at most one pause — and a quiet process (a handful of requests a second) does not wait at all.
 */
export class WebLoad {
  private readonly buckets: number[];
  private readonly stamps: number[];
  private readonly bucketMs: number;

  constructor(
    private readonly opts: { busyPerSecond: number; pauseMs: number; now?: () => number; sleep?: (ms: number) => Promise<void> },
    windowMs = 1000,
    bucketCount = 10,
  ) {
    this.bucketMs = windowMs / bucketCount;
    this.buckets = new Array<number>(bucketCount).fill(0);
    this.stamps = new Array<number>(bucketCount).fill(-1);
  }

  private now() {
    return (this.opts.now ?? Date.now)();
  }

  /** One HTTP request arrived (called from the server's onRequest hook: one addition, no allocation). */
  hit() {
    const slot = Math.floor(this.now() / this.bucketMs);
    const i = slot % this.buckets.length;
    if (this.stamps[i] !== slot) {
      this.stamps[i] = slot;
      this.buckets[i] = 0;
    }
    this.buckets[i]!++;
  }

  /** Requests per second over the last window (buckets older than the window do not count). */
  perSecond(): number {
    const slot = Math.floor(this.now() / this.bucketMs);
    let n = 0;
    for (let i = 0; i < this.buckets.length; i++) if (slot - this.stamps[i]! < this.buckets.length) n += this.buckets[i]!;
    return n * (1000 / (this.bucketMs * this.buckets.length));
  }

  busy(): boolean {
    return this.opts.busyPerSecond > 0 && this.perSecond() >= this.opts.busyPerSecond;
  }

  /** Waits one pause when the HTTP side is busy; resolves at once otherwise. */
  async giveWay(): Promise<void> {
    if (!this.busy()) return;
    await (this.opts.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms))))(this.opts.pauseMs);
  }
}
