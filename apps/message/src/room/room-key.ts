/**
 * The unique key of the direct room of two users: the same whoever opens it. Ids are opaque,
 * so each is escaped, lest `a:b` + `c` and `a` + `b:c` share a key.
 */
export function directRoomKey(userA: string, userB: string): string {
  const [low, high] = userA < userB ? [userA, userB] : [userB, userA];
  return `dm:${encodeURIComponent(low)}:${encodeURIComponent(high)}`;
}
