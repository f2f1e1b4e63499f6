import { createHash } from 'node:crypto';

export type ThrottleScope = 'username' | 'ip' | 'pair';

/**
 * Storage key of a counter. Hashed so that what people type into the username box (sometimes
 * their password) is never stored in clear, and so keys have a fixed size. A pair is a username
 * (any case) at one client address.
 */
export function throttleKey(scope: ThrottleScope, value: string, address = ''): string {
  const normalized = scope === 'ip' ? value : value.toLowerCase();
  const text = scope === 'pair' ? `${scope}:${normalized}\u0000${address}` : `${scope}:${normalized}`;
  return createHash('sha256').update(text).digest('hex');
}

/** Whole seconds until a window that ends in `msBeforeNext` is over; at least 1 (0 invites a hot loop). */
export function retryAfterSeconds(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}

/**
 * How long an attempt on a username waits, given the username's failures in the window (from
 * every address) and the number past which it is slowed: nothing up to `limit`, then 250 ms
 * doubling with each further failure, at most `maxMs`. Never a refusal.
 */
export function slowdownMs(failures: number, limit: number, maxMs: number): number {
  if (failures < limit) return 0;
  return Math.min(maxMs, 250 * 2 ** Math.min(failures - limit, 16));
}
