/**
 * The forwarder's bounded buffer: OTLP request bodies waiting to go to the remote backend, bounded
 * both in spans and in bytes. When a new body does not fit, the oldest bodies are dropped (and
 * counted) until it does: under a long outage the newest spans are the ones worth keeping.
 * Written here rather than taken from a library: the queues on npm (p-queue, fastq, better-queue)
 * bound the number of tasks, not their weight, and none drops the oldest entry with a count.
 */

/** One accepted export, ready to be sent as it is. */
export type ForwardItem = {
  body: Uint8Array;
  contentType: "application/x-protobuf" | "application/json";
  spans: number;
};

/** What overflow cost: bodies and spans dropped to make room. */
export type DropCount = { items: number; spans: number };

/** A FIFO of {@link ForwardItem}s holding at most `maxSpans` spans and `maxBytes` bytes. */
export class ForwardBuffer {
  private items: ForwardItem[] = [];
  private head = 0;
  private spanTotal = 0;
  private byteTotal = 0;

  constructor(private readonly limits: { maxSpans: number; maxBytes: number }) {}

  /** Spans waiting. */
  get spans(): number {
    return this.spanTotal;
  }

  /** Bytes waiting. */
  get bytes(): number {
    return this.byteTotal;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /**
   * Appends `item`, dropping the oldest items until it fits. An item larger than the whole buffer
   * is itself dropped (it could never be kept). Returns what was dropped.
   */
  push(item: ForwardItem): DropCount {
    const dropped: DropCount = { items: 0, spans: 0 };
    if (item.spans > this.limits.maxSpans || item.body.byteLength > this.limits.maxBytes) {
      return { items: 1, spans: item.spans };
    }
    while (this.spanTotal + item.spans > this.limits.maxSpans || this.byteTotal + item.body.byteLength > this.limits.maxBytes) {
      const old = this.shift();
      if (!old) break;
      dropped.items++;
      dropped.spans += old.spans;
    }
    this.items.push(item);
    this.spanTotal += item.spans;
    this.byteTotal += item.body.byteLength;
    return dropped;
  }

  /** Puts an item taken with {@link shift} back at the front (a send to retry); may drop it if newer items filled the room. */
  unshift(item: ForwardItem): DropCount {
    if (this.spanTotal + item.spans > this.limits.maxSpans || this.byteTotal + item.body.byteLength > this.limits.maxBytes) {
      return { items: 1, spans: item.spans }; // it is the oldest: it goes first
    }
    if (this.head > 0) this.items[--this.head] = item;
    else this.items.unshift(item);
    this.spanTotal += item.spans;
    this.byteTotal += item.body.byteLength;
    return { items: 0, spans: 0 };
  }

  /** Removes and returns the oldest item. */
  shift(): ForwardItem | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined as unknown as ForwardItem;
    // Compact now and then, so a long-lived queue does not keep a growing dead prefix.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    this.spanTotal -= item.spans;
    this.byteTotal -= item.body.byteLength;
    return item;
  }

  /** Empties the buffer, returning what it held. */
  clear(): DropCount {
    const count: DropCount = { items: this.length, spans: this.spanTotal };
    this.items = [];
    this.head = 0;
    this.spanTotal = 0;
    this.byteTotal = 0;
    return count;
  }
}
