import { createHash } from 'node:crypto';

export type ThrottleScope = 'username' | 'ip';

/**
 * Storage key of a counter. Hashed so that what people type into the username box (sometimes
 * their password) is never stored in clear, and so keys have a fixed size.
 */
export function throttleKey(scope: ThrottleScope, value: string): string {
  const normalized = scope === 'username' ? value.toLowerCase() : value;
  return createHash('sha256').update(`${scope}:${normalized}`).digest('hex');
}

export function windowStart(now: Date, windowSeconds: number): Date {
  return new Date(now.getTime() - windowSeconds * 1000);
}

/** An attempt is refused when, itself included, more than `limit` attempts fall in the window. */
export function isOverLimit(attemptsInWindow: number, limit: number): boolean {
  return attemptsInWindow > limit;
}

/**
 * Whole seconds until one more attempt would be within the limit: until enough of the `others`
 * (the counted attempts in the window, the refused one excluded) have aged out of it that fewer
 * than `limit` remain. At least 1: a Retry-After of 0 invites a hot loop.
 */
export function retryAfterSeconds(others: Date[], limit: number, windowSeconds: number, now: Date): number {
  const newestFirst = others.map((d) => d.getTime()).sort((a, b) => b - a);
  const blocking = newestFirst[limit - 1];
  if (blocking === undefined) return 1;
  const freeAt = blocking + windowSeconds * 1000;
  return Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
}
