import { nameUuid } from '../common/name-uuid';

/**
 * FerretDB pushes only `_id` equality down to its storage; any other query is a full scan. So
 * the hot lookups are by `_id`: a message is named by its room and seq (probing seq n is one
 * lookup, and the `_id` itself keeps each seq single), and each send by its author and clientMsgId.
 */
export function messageIdOf(roomId: string, seq: number): string {
  return `${encodeURIComponent(roomId)}:${seq}`;
}

/**
 * The room and seq a message id names, or null when it names nothing we could have issued (only
 * the canonical form counts: `messageIdOf` of the result gives the id back).
 */
export function parseMessageId(id: string): { roomId: string; seq: number } | null {
  const colon = id.lastIndexOf(':');
  if (colon <= 0) return null;
  const seqText = id.slice(colon + 1);
  if (!/^[1-9][0-9]{0,14}$/.test(seqText)) return null;
  let roomId: string;
  try {
    roomId = decodeURIComponent(id.slice(0, colon));
  } catch {
    return null;
  }
  const seq = Number(seqText);
  return messageIdOf(roomId, seq) === id ? { roomId, seq } : null;
}

/** Namespace of send keys (fixed forever: changing it breaks idempotency). */
const SEND_KEYS = '6f1c2a9e-4b7d-4e0a-9c3f-58d21e7b4a60';

/** The idempotency key of a send: a name-based UUID of the author and clientMsgId. */
export function sendKeyOf(authorId: string, clientMsgId: string): string {
  return nameUuid(SEND_KEYS, JSON.stringify([authorId, clientMsgId]));
}
