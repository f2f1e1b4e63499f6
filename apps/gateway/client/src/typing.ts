import type { UserTypingEvent } from '@app/contracts/socket';

/** How often a `typing: true` is repeated while the user goes on typing (the server lapses it after 6 s). */
export const TYPING_REFRESH_MS = 3000;
/** Keystrokes stopped this long ago: the user is thinking, not typing. */
export const TYPING_IDLE_MS = 8000;
/** The server sends `typing: false` at 6 s; this is only in case that event is lost with a connection. */
export const TYPING_FALLBACK_MS = 7000;

type Timer = ReturnType<typeof setTimeout>;

/**
 * The composer's side: `typing: true` while it holds text and keystrokes keep coming (repeated
 * every TYPING_REFRESH_MS), `typing: false` once on send, clear, blur or TYPING_IDLE_MS of quiet.
 */
export class TypingSender {
  private typing = false;
  private lastKeyAt = 0;
  private refresh: Timer | undefined;

  constructor(
    private readonly send: (typing: boolean) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The composer's text changed (a keystroke). */
  input(text: string): void {
    if (text.trim() === '') return this.stop();
    this.lastKeyAt = this.now();
    if (this.typing) return;
    this.typing = true;
    this.send(true);
    this.refresh = setInterval(() => {
      if (this.now() - this.lastKeyAt >= TYPING_IDLE_MS) this.stop();
      else this.send(true);
    }, TYPING_REFRESH_MS);
  }

  stop(): void {
    clearInterval(this.refresh);
    this.refresh = undefined;
    if (!this.typing) return;
    this.typing = false;
    this.send(false);
  }
}

/** Who is typing in which room, from the server's `typing` events. */
export class TypingRoster {
  private readonly rooms = new Map<string, Map<string, { username: string; timer: Timer }>>();

  constructor(private readonly changed: (roomId: string) => void) {}

  apply(event: UserTypingEvent): void {
    const { roomId, user } = event;
    let room = this.rooms.get(roomId);
    clearTimeout(room?.get(user.id)?.timer);
    if (!event.typing) {
      if (!room?.delete(user.id)) return;
      if (room.size === 0) this.rooms.delete(roomId);
      return this.changed(roomId);
    }
    if (!room) this.rooms.set(roomId, (room = new Map<string, { username: string; timer: Timer }>()));
    const known = room.has(user.id);
    const timer = setTimeout(() => this.apply({ roomId, user, typing: false }), TYPING_FALLBACK_MS);
    room.set(user.id, { username: user.username, timer });
    if (!known) this.changed(roomId);
  }

  /** A message from someone ends their typing, as it does on screen. */
  stopped(roomId: string, userId: string): void {
    if (this.rooms.get(roomId)?.has(userId)) this.apply({ roomId, user: { id: userId, username: '' }, typing: false });
  }

  names(roomId: string): string[] {
    return [...(this.rooms.get(roomId)?.values() ?? [])].map((t) => t.username).sort((a, b) => a.localeCompare(b));
  }

  /** After a reconnect nothing shown is known to be current. */
  clear(): void {
    const rooms = [...this.rooms.keys()];
    for (const room of this.rooms.values()) for (const t of room.values()) clearTimeout(t.timer);
    this.rooms.clear();
    for (const roomId of rooms) this.changed(roomId);
  }
}

export function typingText(names: readonly string[]): string {
  switch (names.length) {
    case 0:
      return '';
    case 1:
      return `${names[0]} is typing…`;
    case 2:
      return `${names[0]} and ${names[1]} are typing…`;
    default:
      return 'Several people are typing…';
  }
}
