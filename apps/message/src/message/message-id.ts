import { createHash } from 'node:crypto';

/**
 * FerretDB pushes only `_id` equality down to its storage; any other query is a full scan. So
 * the hot lookups are by `_id`: a message is named by its room and seq (probing seq n is one
 * lookup, and the `_id` itself keeps each seq single), and each send by its author and clientMsgId.
 */
export function messageIdOf(roomId: string, seq: number): string {
  return `${encodeURIComponent(roomId)}:${seq}`;
}

/** Namespace of send keys (a random UUID, fixed forever: changing it breaks idempotency). */
const NAMESPACE = Buffer.from('6f1c2a9e4b7d4e0a9c3f58d21e7b4a60', 'hex');

/** The idempotency key of a send: a name-based UUID (version 5) of the author and clientMsgId. */
export function sendKeyOf(authorId: string, clientMsgId: string): string {
  const hash = createHash('sha1')
    .update(NAMESPACE)
    .update(JSON.stringify([authorId, clientMsgId]))
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
