import type { PresenceHeld, UserView } from '@app/contracts';

interface LocalUser {
  user: UserView;
  sockets: Set<string>;
  /** Rooms already announced in this gateway's claim for the user. */
  rooms: Set<string>;
}

/** The users whose sockets this gateway holds, and the rooms its claims announced for each. */
export class LocalUsers {
  private readonly users = new Map<string, LocalUser>();
  private readonly byRoom = new Map<string, Set<string>>();

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
    for (const roomId of entry.rooms) {
      const users = this.byRoom.get(roomId);
      users?.delete(userId);
      if (users?.size === 0) this.byRoom.delete(roomId);
    }
    return { user: entry.user, rooms: [...entry.rooms] };
  }

  /** Every user held here with a room among `roomIds`, with those of their rooms. */
  heldIn(roomIds: readonly string[]): PresenceHeld[] {
    const held = new Map<string, PresenceHeld>();
    for (const roomId of roomIds) {
      for (const userId of this.byRoom.get(roomId) ?? []) {
        const user = this.users.get(userId)?.user;
        if (!user) continue;
        let entry = held.get(userId);
        if (!entry) held.set(userId, (entry = { user, roomIds: [] }));
        entry.roomIds.push(roomId);
      }
    }
    return [...held.values()];
  }

  userIds(): string[] {
    return [...this.users.keys()];
  }

  get size(): number {
    return this.users.size;
  }

  private announce(entry: LocalUser, roomIds: readonly string[]): string[] {
    const fresh = roomIds.filter((id) => !entry.rooms.has(id));
    for (const id of fresh) {
      entry.rooms.add(id);
      let users = this.byRoom.get(id);
      if (!users) this.byRoom.set(id, (users = new Set()));
      users.add(entry.user.id);
    }
    return fresh;
  }
}
