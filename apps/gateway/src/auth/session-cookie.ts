import type { CookieOptions } from 'express';

export const SESSION_COOKIE = 'sid';

/** `sid` cookie attributes: HttpOnly, SameSite=Lax, Path=/, Secure when asked, alive until the session ends. */
export function sessionCookieOptions(secure: boolean, expiresAt?: string, now = Date.now()): CookieOptions {
  const options: CookieOptions = { httpOnly: true, sameSite: 'lax', path: '/', secure };
  if (expiresAt !== undefined) {
    const ms = Date.parse(expiresAt) - now;
    if (Number.isFinite(ms)) options.maxAge = Math.max(0, ms);
  }
  return options;
}

/** One cookie's value out of a raw `Cookie` header (the socket handshake has no cookie-parser). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}
