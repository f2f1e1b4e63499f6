import type { Request } from 'express';

/** The caller's address as Express derives it under TRUST_PROXY, IPv4-mapped IPv6 unwrapped. */
export function clientAddress(req: Request): string {
  const raw = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  return raw.startsWith('::ffff:') ? raw.slice('::ffff:'.length) : raw;
}
