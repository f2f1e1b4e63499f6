import type { UserView } from '@app/contracts';
import { TYPING_LAPSE_MS } from './typing-throttle';

export type TypingChange = (roomId: string, user: UserView, typing: boolean) => void;

interface Shown {
  user: UserView;
  lapse: NodeJS.Timeout;
}

/**
 * The receiving side: which users this gateway shows typing in which room, each with its lapse
 * timer. Every receiving gateway times out on its own, so a typer whose gateway dies without a
 * word still stops "typing" after TYPING_LAPSE_MS.
 */
export class TypingLapses {
  private readonly shown = new Map<string, Map<string, Shown>>();

  /**
   * `change` is called for what local sockets must hear: every start and refresh (so a client
   * may run its own timer too), a stop of someone shown typing, and a lapse.
   */
  constructor(
    private readonly change: TypingChange,
    private readonly lapseMs = TYPING_LAPSE_MS,
  ) {}

  apply(roomId: string, user: UserView, typing: boolean): void {
    const room = this.shown.get(roomId);
    const current = room?.get(user.id);
    if (!typing) {
      if (current === undefined) return;
      this.clear(roomId, user.id);
      this.change(roomId, current.user, false);
      return;
    }
    clearTimeout(current?.lapse);
    const lapse = setTimeout(() => {
      this.clear(roomId, user.id);
      this.change(roomId, user, false);
    }, this.lapseMs);
    lapse.unref();
    if (room) room.set(user.id, { user, lapse });
    else this.shown.set(roomId, new Map([[user.id, { user, lapse }]]));
    this.change(roomId, user, true);
  }

  isTyping(roomId: string, userId: string): boolean {
    return this.shown.get(roomId)?.has(userId) ?? false;
  }

  /** No local socket is in the room any more: nobody to tell, forget its timers quietly. */
  dropRoom(roomId: string): void {
    for (const { lapse } of this.shown.get(roomId)?.values() ?? []) clearTimeout(lapse);
    this.shown.delete(roomId);
  }

  clearAll(): void {
    for (const roomId of [...this.shown.keys()]) this.dropRoom(roomId);
  }

  private clear(roomId: string, userId: string): void {
    const room = this.shown.get(roomId);
    clearTimeout(room?.get(userId)?.lapse);
    room?.delete(userId);
    if (room?.size === 0) this.shown.delete(roomId);
  }
}
