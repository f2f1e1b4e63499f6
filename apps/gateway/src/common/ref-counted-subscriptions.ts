/**
 * Opens one subscription per key while at least one holder wants it, and closes it when the
 * last holder lets go. Holding a key twice counts once.
 */
export class RefCountedSubscriptions {
  private readonly byKey = new Map<string, { close: () => void; holders: Set<string> }>();
  private readonly byHolder = new Map<string, Set<string>>();

  constructor(private readonly open: (key: string) => () => void) {}

  /** True when this call opened the subscription. */
  acquire(key: string, holder: string): boolean {
    let entry = this.byKey.get(key);
    const opened = !entry;
    if (!entry) {
      entry = { close: this.open(key), holders: new Set() };
      this.byKey.set(key, entry);
    }
    entry.holders.add(holder);
    let keys = this.byHolder.get(holder);
    if (!keys) this.byHolder.set(holder, (keys = new Set()));
    keys.add(key);
    return opened;
  }

  /** True when this call closed the subscription. */
  release(key: string, holder: string): boolean {
    const keys = this.byHolder.get(holder);
    keys?.delete(key);
    if (keys?.size === 0) this.byHolder.delete(holder);
    const entry = this.byKey.get(key);
    if (!entry || !entry.holders.delete(holder) || entry.holders.size > 0) return false;
    this.byKey.delete(key);
    entry.close();
    return true;
  }

  /** Everything a holder held (a socket that went away); returns the keys it closed. */
  releaseHolder(holder: string): string[] {
    const keys = [...(this.byHolder.get(holder) ?? [])];
    return keys.filter((key) => this.release(key, holder));
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  holdersOf(key: string): string[] {
    return [...(this.byKey.get(key)?.holders ?? [])];
  }

  get size(): number {
    return this.byKey.size;
  }

  closeAll(): void {
    for (const entry of this.byKey.values()) entry.close();
    this.byKey.clear();
    this.byHolder.clear();
  }
}
