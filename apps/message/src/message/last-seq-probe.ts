/**
 * The highest seq of a room, from a `hint` known to exist (or 0): seqs are gapless, so
 * `exists` is true up to the answer and false above it. Gallops up, then bisects: a hint that
 * is behind by k costs about 2·log2(k) lookups, an exact one a single lookup.
 */
export async function probeLastSeq(hint: number, exists: (seq: number) => Promise<boolean>): Promise<number> {
  let low = hint; // exists (or 0)
  let step = 1;
  let high = hint + step; // candidate
  while (await exists(high)) {
    low = high;
    step *= 2;
    high = low + step;
  }
  // low exists, high does not: bisect the space between.
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (await exists(mid)) low = mid;
    else high = mid;
  }
  return low;
}
