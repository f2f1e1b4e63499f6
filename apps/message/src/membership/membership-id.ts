/**
 * The `_id` of a membership: room and user, each escaped so no two pairs share one. A lookup by
 * `_id` is the only query FerretDB does not answer with a full scan, and a send checks one.
 */
export function membershipIdOf(roomId: string, userId: string): string {
  return `${encodeURIComponent(roomId)}:${encodeURIComponent(userId)}`;
}
