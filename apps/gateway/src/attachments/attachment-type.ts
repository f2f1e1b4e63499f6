import { ATTACHMENT_NAME_MAX, CONTROL_CHARS } from '@app/contracts';
import { filetypeinfo } from 'magic-bytes.js';

/**
 * Types we accept and serve back from our own origin. Never text/html, SVG, XML or anything
 * else a browser would run script from; `nosniff` keeps browsers to the type we send.
 */
const ALLOWED = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/json',
  'application/zip',
  'application/gzip',
  'application/octet-stream',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'video/mp4',
  'video/webm',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text',
]);

/** Text formats, which carry no signature: accepted as declared when the bytes are plain UTF-8 text. */
const TEXT = new Set(['text/plain', 'text/csv', 'text/markdown', 'application/json']);

/** What magic-bytes.js names differently from the allow-list. */
const ALIASES: Record<string, string> = {
  'application/ogg': 'audio/ogg',
  'audio/x-wav': 'audio/wav',
  'audio/webm': 'video/webm',
  'video/x-matroska': 'video/webm',
};

/**
 * The type a file is stored and served as, decided from its content, not from what the client
 * declared: the declared type when the file's signature (magic bytes) fits it, else the allowed
 * type the signature names; a file without a signature only as text (valid UTF-8, no NUL, not
 * starting with markup a browser could take for HTML or SVG) declared as a text type, or as
 * application/octet-stream. Null: refused (415).
 */
export function typeFromContent(declared: string, bytes: Buffer): string | null {
  const found = [
    ...new Set(
      filetypeinfo(bytes.subarray(0, 4096))
        .map((t) => t.mime)
        .filter((m): m is string => typeof m === 'string')
        .map((m) => ALIASES[m] ?? m),
    ),
  ];
  if (found.length > 0) {
    if (found.includes(declared) && ALLOWED.has(declared)) return declared;
    return found.find((m) => ALLOWED.has(m)) ?? null;
  }
  if (declared === 'application/octet-stream') return declared;
  return TEXT.has(declared) && isPlainText(bytes) ? declared : null;
}

function isPlainText(bytes: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  return !text.includes('\u0000') && !/^[\ufeff\s]*</.test(text);
}

/** Shown in the page; everything else is downloaded. */
const INLINE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The declared media type, lower case, without parameters (`text/plain; charset=x` → `text/plain`). */
export function mediaTypeOf(declared: string | undefined): string {
  return (declared ?? '').split(';')[0].trim().toLowerCase();
}

export function isAllowedType(type: string): boolean {
  return ALLOWED.has(type);
}

/** A file name safe to store and show: no paths, no control characters, bounded; never empty. */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = Array.from(base.replace(new RegExp(CONTROL_CHARS.source, 'gu'), '').trim())
    .slice(0, ATTACHMENT_NAME_MAX)
    .join('');
  return clean === '' || clean === '.' || clean === '..' ? 'file' : clean;
}

/**
 * `inline` for images, `attachment` otherwise, with an ASCII fallback name (quotes, backslashes
 * and non-ASCII replaced) and the exact name as RFC 5987 `filename*`.
 */
export function contentDispositionOf(type: string, name: string): string {
  const kind = INLINE.has(type) ? 'inline' : 'attachment';
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
