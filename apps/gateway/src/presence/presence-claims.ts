import type { PresenceHeld, RoomPresenceEvent, UserView } from '@app/contracts';

export type PresenceStatus = 'online' | 'offline';

/**
 * A user's first claim anywhere, or their last one gone: what local sockets of `roomIds` hear,
 * except those also in `toldRoomIds` (told already by an earlier copy of the same claim).
 */
export interface PresenceTransition {
  user: UserView;
  status: PresenceStatus;
  roomIds: string[];
  toldRoomIds: string[];
}

/** A gateway's claims expire after this many beacon periods without a word from it. */
export const MISSED_BEACONS = 3;

interface UserClaims {
  user: UserView;
  /** Gateway → the rooms its claim named, of those this gateway follows. */
  gateways: Map<string, Set<string>>;
  /** Every followed room learnt for the user: `offline` goes there, even to a room they left. */
  rooms: Set<string>;
  /** The gateway whose first claim made the user online here, announced: its later copies extend that. */
  onlineBy?: string;
}

interface GatewayState {
  lastSeen: number;
  intervalMs: number;
  users: Set<string>;
  /** Its beacon was heard since it was (re)learnt. */
  beaconed: boolean;
}

type Claim = Extract<RoomPresenceEvent, { type: 'claim' }>;
type Release = Extract<RoomPresenceEvent, { type: 'release' }>;

/**
 * Who of the users sharing a followed room is online, as this gateway knows it: which gateways
 * claim them, for which rooms. A claim or release arrives once per shared room; a sync answer lists
 * what a gateway holds in the rooms asked (so a missed release is corrected); a gateway silent for
 * MISSED_BEACONS periods loses all its claims; a room no longer followed is forgotten. Only
 * first-claim and last-claim transitions come out. Pure: time is passed in.
 */
export class PresenceClaims {
  private readonly users = new Map<string, UserClaims>();
  private readonly gateways = new Map<string, GatewayState>();
  private readonly byRoom = new Map<string, Set<string>>();

  /** `selfId`'s claims never expire: this gateway knows its own sockets. */
  constructor(private readonly selfId: string) {}

  claim(event: Claim, now: number): PresenceTransition[] {
    const gateway = this.touch(event.gatewayId, event.intervalMs, now);
    let entry = this.users.get(event.user.id);
    const wasOnline = entry !== undefined;
    if (!entry) {
      entry = { user: event.user, gateways: new Map(), rooms: new Set() };
      this.users.set(event.user.id, entry);
    }
    entry.user = event.user;
    const told = [...entry.rooms];
    const fresh = event.roomIds.filter((id) => !entry.rooms.has(id));
    this.addRooms(entry, event.gatewayId, event.roomIds);
    gateway.users.add(event.user.id);
    // Rooms joined later, or a user already online: nothing to say (`room:member` tells the first).
    if (!event.first) return [];
    if (!wasOnline) {
      entry.onlineBy = event.gatewayId;
      return [{ user: event.user, status: 'online', roomIds: [...entry.rooms], toldRoomIds: [] }];
    }
    if (entry.onlineBy !== event.gatewayId || fresh.length === 0) return [];
    return [{ user: event.user, status: 'online', roomIds: fresh, toldRoomIds: told }];
  }

  release(event: Release, now: number): PresenceTransition[] {
    this.touch(event.gatewayId, event.intervalMs, now);
    const entry = this.users.get(event.user.id);
    if (!entry?.gateways.has(event.gatewayId)) return [];
    this.addRooms(entry, undefined, event.roomIds);
    return this.drop(event.gatewayId, event.user.id);
  }

  /** A gateway's beacon. True when it was not heard from before (new here, or expired): sync with it. */
  alive(gatewayId: string, intervalMs: number, now: number): boolean {
    const gateway = this.touch(gatewayId, intervalMs, now);
    const fresh = !gateway.beaconed;
    gateway.beaconed = true;
    return fresh;
  }

  /**
   * A gateway's complete answer for `asked` rooms: what it holds there now. Users it lists are learnt
   * (claims we missed: announced online when `catchUp`, silently for a room just followed, whose
   * sockets ask `presence:list`); its claims on those rooms it no longer lists were released unheard.
   */
  reconcile(
    gatewayId: string,
    intervalMs: number,
    asked: ReadonlySet<string>,
    held: PresenceHeld[],
    catchUp: boolean,
    now: number,
  ): PresenceTransition[] {
    const gateway = this.touch(gatewayId, intervalMs, now);
    const listed = new Map<string, Set<string>>();
    const out: PresenceTransition[] = [];
    for (const { user, roomIds } of held) {
      if (roomIds.length === 0) continue;
      listed.set(user.id, new Set(roomIds));
      let entry = this.users.get(user.id);
      const learnt = !entry;
      if (!entry) this.users.set(user.id, (entry = { user, gateways: new Map(), rooms: new Set() }));
      this.addRooms(entry, gatewayId, roomIds);
      gateway.users.add(user.id);
      if (learnt && catchUp) out.push({ user, status: 'online', roomIds: [...entry.rooms], toldRoomIds: [] });
    }
    for (const userId of [...gateway.users]) {
      const rooms = this.users.get(userId)?.gateways.get(gatewayId);
      if (!rooms) continue;
      for (const roomId of [...rooms]) {
        if (asked.has(roomId) && !listed.get(userId)?.has(roomId)) rooms.delete(roomId);
      }
      if (rooms.size === 0) out.push(...this.drop(gatewayId, userId));
    }
    return out;
  }

  /** This gateway stopped following the room: what it knew through it goes, silently. */
  forgetRoom(roomId: string): void {
    for (const userId of this.byRoom.get(roomId) ?? []) {
      const entry = this.users.get(userId);
      if (!entry) continue;
      entry.rooms.delete(roomId);
      for (const [gatewayId, rooms] of entry.gateways) {
        rooms.delete(roomId);
        if (rooms.size > 0) continue;
        entry.gateways.delete(gatewayId);
        if (entry.onlineBy === gatewayId) entry.onlineBy = undefined;
        this.gateways.get(gatewayId)?.users.delete(userId);
      }
      if (entry.gateways.size === 0) this.removeUser(userId, entry);
    }
    this.byRoom.delete(roomId);
  }

  /** Drops the claims of gateways not heard from for MISSED_BEACONS periods. */
  expire(now: number): PresenceTransition[] {
    const out: PresenceTransition[] = [];
    for (const [gatewayId, gateway] of this.gateways) {
      if (gatewayId === this.selfId || now - gateway.lastSeen <= MISSED_BEACONS * gateway.intervalMs) continue;
      for (const userId of [...gateway.users]) out.push(...this.drop(gatewayId, userId));
      this.gateways.delete(gatewayId);
    }
    return out;
  }

  isOnline(userId: string): boolean {
    return this.users.has(userId);
  }

  /** Online users known to be members of the room. */
  onlineIn(roomId: string): UserView[] {
    return [...(this.byRoom.get(roomId) ?? [])].flatMap((id) => this.users.get(id)?.user ?? []);
  }

  gatewaysOf(userId: string): string[] {
    return [...(this.users.get(userId)?.gateways.keys() ?? [])];
  }

  /** How many users this gateway knows the presence of: it grows with its interest, not the system. */
  get size(): number {
    return this.users.size;
  }

  private drop(gatewayId: string, userId: string): PresenceTransition[] {
    this.gateways.get(gatewayId)?.users.delete(userId);
    const entry = this.users.get(userId);
    if (!entry?.gateways.delete(gatewayId)) return [];
    if (entry.onlineBy === gatewayId) entry.onlineBy = undefined;
    if (entry.gateways.size > 0) return [];
    this.removeUser(userId, entry);
    return [{ user: entry.user, status: 'offline', roomIds: [...entry.rooms], toldRoomIds: [] }];
  }

  private removeUser(userId: string, entry: UserClaims): void {
    this.users.delete(userId);
    for (const roomId of entry.rooms) {
      const members = this.byRoom.get(roomId);
      members?.delete(userId);
      if (members?.size === 0) this.byRoom.delete(roomId);
    }
  }

  private touch(gatewayId: string, intervalMs: number, now: number): GatewayState {
    let gateway = this.gateways.get(gatewayId);
    if (!gateway) {
      gateway = { lastSeen: now, intervalMs, users: new Set(), beaconed: false };
      this.gateways.set(gatewayId, gateway);
    }
    gateway.lastSeen = now;
    gateway.intervalMs = intervalMs;
    return gateway;
  }

  /** `gatewayId` undefined: rooms learnt for the user only (a release naming rooms we had not heard of). */
  private addRooms(entry: UserClaims, gatewayId: string | undefined, roomIds: readonly string[]): void {
    let claimed = gatewayId === undefined ? undefined : entry.gateways.get(gatewayId);
    if (gatewayId !== undefined && !claimed) entry.gateways.set(gatewayId, (claimed = new Set()));
    for (const roomId of roomIds) {
      claimed?.add(roomId);
      entry.rooms.add(roomId);
      let members = this.byRoom.get(roomId);
      if (!members) this.byRoom.set(roomId, (members = new Set()));
      members.add(entry.user.id);
    }
  }
}
