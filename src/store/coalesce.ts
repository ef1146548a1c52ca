/**
 * Coalesces concurrent writes into shared statements ("group commit" in the client). Under load many requests
 * want the same kind of single-row INSERT at once; on this kind of machine each round trip costs far more client
 * CPU than the row itself, so N rows in one statement are much cheaper than N statements.
 *
 * It never waits to fill a batch: an item goes out at once when fewer than `maxInFlight` statements are running,
 * so a lone request pays nothing extra. Only while statements are already in flight do newcomers queue, and the
 * next free slot takes all of them (up to `maxBatch`) together. When a batch fails and held more than one item,
 * every item is tried again on its own, so one bad row cannot fail its neighbours.
 */
export interface Coalescer<T, R> {
  add(item: T): Promise<R>;
}

export function coalescer<T, R>(flush: (items: T[]) => Promise<R[]>, opts: { maxInFlight?: number; maxBatch?: number } = {}): Coalescer<T, R> {
  const maxInFlight = opts.maxInFlight ?? 2;
  const maxBatch = opts.maxBatch ?? 200;
  type Waiting = { item: T; resolve: (r: R) => void; reject: (e: unknown) => void };
  let queue: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function run(batch: Waiting[]) {
    try {
      const results = await flush(batch.map((w) => w.item));
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (err) {
      if (batch.length === 1) batch[0]!.reject(err);
      else
        await Promise.all(
          batch.map((w) =>
            flush([w.item]).then(
              ([r]) => w.resolve(r!),
              (e: unknown) => w.reject(e),
            ),
          ),
        );
    }
  }

  function pump() {
    scheduled = false;
    while (inFlight < maxInFlight && queue.length) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(maxBatch);
      inFlight++;
      void run(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  return {
    add(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        // Items added in the same turn of the event loop go out together even when a slot is free.
        if (!scheduled) {
          scheduled = true;
          queueMicrotask(pump);
        }
      });
    },
  };
}
