import { createHash } from 'node:crypto';

export type ThrottleScope = 'username' | 'ip';

export interface FailureWindow {
  count: number;
  expiresAt: Date;
}

/**
 * Storage key of a counter. Hashed so that what people type into the username box (sometimes
 * their password) is never stored in clear, and so keys have a fixed size.
 */
export function throttleKey(scope: ThrottleScope, value: string): string {
  const normalized = scope === 'username' ? value.toLowerCase() : value;
  return createHash('sha256').update(`${scope}:${normalized}`).digest('hex');
}

/** Whole seconds until the window closes, at least 1 (a Retry-After of 0 invites a hot loop). */
export function retryAfterSeconds(window: FailureWindow, now: Date): number {
  return Math.max(1, Math.ceil((window.expiresAt.getTime() - now.getTime()) / 1000));
}

/** The attempt that brought the count to `count` is refused when it exceeds the limit. */
export function isOverLimit(window: FailureWindow, limit: number): boolean {
  return window.count > limit;
}

export function windowEnd(now: Date, windowSeconds: number): Date {
  return new Date(now.getTime() + windowSeconds * 1000);
}
