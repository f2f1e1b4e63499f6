import type { MessageView } from '@app/contracts/views';

/**
 * The messages of one room we hold, keyed by `seq`: merging the same message twice (HTTP page,
 * live event, catch-up, send ack) keeps one copy, and reading is always in seq order.
 */
export class Timeline {
  private readonly bySeq = new Map<number, MessageView>();
  private sortedCache: MessageView[] | undefined;
  /** Older messages exist on the server before `oldestSeq`. */
  hasOlder = false;

  /** Adds or replaces messages; returns those not seen before, in seq order. */
  merge(messages: readonly MessageView[]): MessageView[] {
    const added: MessageView[] = [];
    for (const message of messages) {
      if (!this.bySeq.has(message.seq)) added.push(message);
      this.bySeq.set(message.seq, message);
    }
    if (messages.length) this.sortedCache = undefined;
    return added.sort((a, b) => a.seq - b.seq);
  }

  /**
   * A changed version (edit, delete) of a message we hold; false when we do not hold its seq
   * (history brings the current version when it is paged in).
   */
  revise(seq: number, change: (message: MessageView) => MessageView): MessageView | undefined {
    const held = this.bySeq.get(seq);
    if (!held) return undefined;
    const next = change(held);
    this.bySeq.set(seq, next);
    this.sortedCache = undefined;
    return next;
  }

  get(seq: number): MessageView | undefined {
    return this.bySeq.get(seq);
  }

  sorted(): MessageView[] {
    this.sortedCache ??= [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    return this.sortedCache;
  }

  get size(): number {
    return this.bySeq.size;
  }

  get oldestSeq(): number | undefined {
    return this.sorted()[0]?.seq;
  }

  /**
   * The highest seq up to which we hold every message, starting from the oldest we hold: what
   * catch-up asks for (`afterSeq`), so a gap in live delivery is refilled instead of skipped.
   */
  contiguousTop(): number {
    const list = this.sorted();
    if (!list.length) return 0;
    let top = list[0].seq;
    for (let i = 1; i < list.length && list[i].seq === top + 1; i++) top = list[i].seq;
    return top;
  }
}
