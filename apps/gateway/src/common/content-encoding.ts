import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import type { NextFunction, Request, Response } from 'express';

/** The codings the body parser decodes (it applies the size limit to the decoded body). */
const DECODED = new Map([
  ['gzip', 'gzip'],
  ['x-gzip', 'gzip'],
  ['deflate', 'deflate'],
  ['br', 'br'],
]);

/**
 * `Content-Encoding` in the form the body parser takes: `identity` entries dropped, one supported
 * coding kept; anything else (an unknown coding, several stacked) is 415 before any byte is read.
 * Returns the header to set, or null for none.
 */
export function normalizeContentEncoding(header: string | undefined): string | null {
  if (header === undefined) return null;
  const codings = header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return null;
  const decoded = codings.length === 1 ? DECODED.get(codings[0]) : undefined;
  if (!decoded) throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Unsupported Content-Encoding');
  return decoded;
}

/** Express middleware form of normalizeContentEncoding, ahead of the body parser. */
export function contentEncoding(req: Request, _res: Response, next: NextFunction): void {
  try {
    const normalized = normalizeContentEncoding(req.headers['content-encoding']);
    if (normalized === null) delete req.headers['content-encoding'];
    else req.headers['content-encoding'] = normalized;
    next();
  } catch (err) {
    next(err);
  }
}
