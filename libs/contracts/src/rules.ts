/** Input rules of the contract, shared by every edge that checks them. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
export const CLIENT_MSG_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const BODY_MAX = 4000;
export const ROOM_NAME_MAX = 80;
export const HISTORY_LIMIT_MAX = 100;
export const HISTORY_LIMIT_DEFAULT = 50;
export const MISSED_MAX = 200;
/** Ids are opaque; anything longer than this names nothing we ever issued. */
export const ID_MAX = 128;

/** Length in Unicode code points, as the contract counts. */
export function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/** Attachments one message may carry. */
export const MAX_ATTACHMENTS = 10;
/** Bytes per chunk on NATS: base64 makes it ~342 KiB, well under NATS's 1 MiB default max payload. */
export const ATTACHMENT_CHUNK_BYTES = 256 * 1024;
export const ATTACHMENT_NAME_MAX = 255;

/** How many chunks a file of `size` bytes travels and is stored in (an empty file still has one). */
export function chunkCountOf(size: number): number {
  return Math.max(1, Math.ceil(size / ATTACHMENT_CHUNK_BYTES));
}

/** Where clients download an attachment. */
export function attachmentUrlOf(id: string): string {
  return `/api/attachments/${encodeURIComponent(id)}`;
}

/** The exact length of chunk `index` of a file of `size` bytes; -1 when there is no such chunk. */
export function chunkBytesOf(size: number, index: number): number {
  const count = chunkCountOf(size);
  if (!Number.isInteger(index) || index < 0 || index >= count) return -1;
  return index < count - 1 ? ATTACHMENT_CHUNK_BYTES : size - (count - 1) * ATTACHMENT_CHUNK_BYTES;
}

/** At most this many distinct names of one body are looked at: a body of 500 mentions notifies 20. */
export const MAX_MENTIONS = 20;
