/** A `typing: true` lapses this long after its last refresh (the contract's 6 s). */
export const TYPING_LAPSE_MS = 6000;
/** Refreshes closer together than this are acknowledged but not fanned out. */
export const TYPING_REFRESH_MIN_MS = 1000;

interface SocketTyping {
  /** When the last `typing: true` of this socket in this room was published. */
  publishedAt: number;
}

/**
 * The sending side, per socket and room: decides which `typing` commands are worth publishing.
 * A start is always published; a refresh only once per TYPING_REFRESH_MIN_MS; a stop only while
 * the receivers still show the socket typing (not after its lapse, not twice).
 */
export class TypingThrottle {
  private readonly bySocket = new Map<string, Map<string, SocketTyping>>();

  /** True when this command must be published. */
  update(socketId: string, roomId: string, typing: boolean, now: number): boolean {
    const rooms = this.bySocket.get(socketId);
    const current = rooms?.get(roomId);
    const live = current !== undefined && now - current.publishedAt < TYPING_LAPSE_MS;
    if (!typing) {
      if (current) this.forget(socketId, roomId);
      return live;
    }
    if (live && now - current.publishedAt < TYPING_REFRESH_MIN_MS) return false;
    if (rooms) rooms.set(roomId, { publishedAt: now });
    else this.bySocket.set(socketId, new Map([[roomId, { publishedAt: now }]]));
    return true;
  }

  /** The socket went away (or left the room): the rooms where receivers still show it typing. */
  release(socketId: string, now: number, roomId?: string): string[] {
    const rooms = this.bySocket.get(socketId);
    if (!rooms) return [];
    const ids = roomId === undefined ? [...rooms.keys()] : rooms.has(roomId) ? [roomId] : [];
    const live = ids.filter((id) => now - (rooms.get(id)?.publishedAt ?? -Infinity) < TYPING_LAPSE_MS);
    for (const id of ids) this.forget(socketId, id);
    return live;
  }

  private forget(socketId: string, roomId: string): void {
    const rooms = this.bySocket.get(socketId);
    rooms?.delete(roomId);
    if (rooms?.size === 0) this.bySocket.delete(socketId);
  }
}
