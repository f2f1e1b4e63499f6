import type { UserPresenceEvent } from '@app/contracts/socket';
import type { UserView } from '@app/contracts/views';

/** Users known to be online: from `presence` events, and `presence:list` answers for the rooms on screen. */
export class PresenceBook {
  private readonly online = new Map<string, UserView>();

  apply(event: UserPresenceEvent): void {
    if (event.status === 'online') this.online.set(event.user.id, event.user);
    else this.online.delete(event.user.id);
  }

  addAll(users: readonly UserView[]): void {
    for (const user of users) this.online.set(user.id, user);
  }

  /** A direct room is named after the other member: usernames are unique without regard to case. */
  isOnlineByName(username: string): boolean {
    const wanted = username.toLowerCase();
    for (const user of this.online.values()) if (user.username.toLowerCase() === wanted) return true;
    return false;
  }

  clear(): void {
    this.online.clear();
  }
}
