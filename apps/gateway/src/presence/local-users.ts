import type { UserView } from '@app/contracts';

interface LocalUser {
  user: UserView;
  sockets: Set<string>;
  /** Rooms already announced in this gateway's claim for the user. */
  rooms: Set<string>;
}

/** The users whose sockets this gateway holds, and the rooms its claims announced for each. */
export class LocalUsers {
  private readonly users = new Map<string, LocalUser>();

  /** `first`: the user's first socket here; `rooms`: rooms not announced yet. */
  connect(user: UserView, socketId: string, roomIds: readonly string[]): { first: boolean; rooms: string[] } {
    let entry = this.users.get(user.id);
    const first = !entry;
    if (!entry) {
      entry = { user, sockets: new Set(), rooms: new Set() };
      this.users.set(user.id, entry);
    }
    entry.sockets.add(socketId);
    return { first, rooms: this.announce(entry, roomIds) };
  }

  /** A connected socket of the user was put into a room: true when the room is new for the claim. */
  addRoom(userId: string, socketId: string, roomId: string): boolean {
    const entry = this.users.get(userId);
    if (!entry?.sockets.has(socketId)) return false;
    return this.announce(entry, [roomId]).length > 0;
  }

  /** The user and every room announced, when this was the user's last socket here; else null. */
  disconnect(userId: string, socketId: string): { user: UserView; rooms: string[] } | null {
    const entry = this.users.get(userId);
    if (!entry?.sockets.delete(socketId) || entry.sockets.size > 0) return null;
    this.users.delete(userId);
    return { user: entry.user, rooms: [...entry.rooms] };
  }

  userIds(): string[] {
    return [...this.users.keys()];
  }

  private announce(entry: LocalUser, roomIds: readonly string[]): string[] {
    const fresh = roomIds.filter((id) => !entry.rooms.has(id));
    for (const id of fresh) entry.rooms.add(id);
    return fresh;
  }
}
