import { nameUuid } from '../common/name-uuid';

/**
 * The unique key of the direct room of two users: the same whoever opens it. Ids are opaque,
 * so each is escaped, lest `a:b` + `c` and `a` + `b:c` share a key.
 */
export function directRoomKey(userA: string, userB: string): string {
  const [low, high] = userA < userB ? [userA, userB] : [userB, userA];
  return `dm:${encodeURIComponent(low)}:${encodeURIComponent(high)}`;
}

/** Namespace of direct room ids (fixed forever). */
const DIRECT_ROOMS = 'b3c1f7a2-58e4-4d2b-9f61-0c7a9e24d5b8';

/** The `_id` of a direct room: derived from its key, so opening one is an `_id` lookup. */
export function directRoomIdOf(key: string): string {
  return nameUuid(DIRECT_ROOMS, key);
}
