/**
 * Buffers that streamed attachments are decoded into, reused from one request to the next. Issue 16's memory
 * bound: a maximum filing decodes five 5 MiB attachments, and buffers that size are freed only by a major
 * garbage collection, which V8 starts once external memory has grown by tens of MB: filings one after the
 * other each left 25 MiB behind, and four of them pushed intake past 200 MB of RSS. A slab is lent to a
 * request while it runs and given back once its response is sent (its bytes are stored by then: COPY has
 * finished before the response is written); a request whose client went away first may still be storing
 * them, so its slabs are abandoned to the garbage collector instead. At most `max` slabs exist; a request that finds none free decodes
 * into a buffer of its own, as before. Slabs left unused for `idleMs` are dropped, so a process that saw one
 * large filing does not keep 25 MiB for ever.
 */
export class DecodeSlabs {
  private readonly free: Buffer[] = [];
  private lent = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly slabBytes: number,
    private readonly max: number,
    private readonly idleMs = 30_000,
  ) {}

  /** A slab to decode into, or null when `max` are lent already. */
  take(): Buffer | null {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const slab = this.free.pop() ?? (this.lent < this.max ? Buffer.allocUnsafe(this.slabBytes) : null);
    if (slab) this.lent++;
    return slab;
  }

  /** Gives back a slab `take` lent; nothing may read or write it afterwards. */
  give(slab: Buffer): void {
    this.free.push(slab);
    this.abandon();
  }

  /** Forgets a slab `take` lent that may still be in use: the garbage collector frees it, a new one takes its place. */
  abandon(): void {
    this.lent--;
    if (this.lent === 0) {
      this.idleTimer = setTimeout(() => {
        this.free.length = 0;
        this.idleTimer = null;
      }, this.idleMs);
      this.idleTimer.unref();
    }
  }

  /** Slabs in existence (lent and free), for tests and metrics. */
  get size(): number {
    return this.lent + this.free.length;
  }
}
