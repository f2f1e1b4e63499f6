import type { PresenceEvent, UserView } from '@app/contracts';

export type PresenceStatus = 'online' | 'offline';

/** A user's first claim anywhere, or their last one gone: what local sockets of their rooms hear. */
export interface PresenceTransition {
  user: UserView;
  status: PresenceStatus;
  roomIds: string[];
}

/** A gateway's claims expire after this many heartbeat periods without one. */
export const MISSED_HEARTBEATS = 3;

interface UserClaims {
  /** Unknown for a user learnt from a heartbeat only: nothing is announced about them then. */
  user?: UserView;
  rooms: Set<string>;
  gateways: Set<string>;
}

interface GatewayClaims {
  lastSeen: number;
  intervalMs: number;
  users: Set<string>;
  /** The heartbeat round being received, and the users it listed so far. */
  round?: number;
  partsSeen: number;
  listed: Set<string>;
}

type Claim = Extract<PresenceEvent, { type: 'claim' }>;
type Release = Extract<PresenceEvent, { type: 'release' }>;
type Heartbeat = Extract<PresenceEvent, { type: 'heartbeat' }>;

/**
 * Which gateways hold which users, as this gateway knows it: a user is online while any gateway
 * claims them. Claims come and go with `claim`/`release`; a heartbeat lists everything a gateway
 * holds (so a missed release is corrected); a gateway silent for MISSED_HEARTBEATS periods loses
 * all its claims. Only first-claim and last-claim transitions come out. Pure: time is passed in.
 */
export class PresenceClaims {
  private readonly users = new Map<string, UserClaims>();
  private readonly gateways = new Map<string, GatewayClaims>();
  private readonly byRoom = new Map<string, Set<string>>();

  /** `selfId`'s claims never expire: this gateway knows its own sockets. */
  constructor(private readonly selfId: string) {}

  apply(event: PresenceEvent, now: number): PresenceTransition[] {
    switch (event.type) {
      case 'claim':
        return this.claim(event, now);
      case 'release':
        return this.release(event, now);
      case 'heartbeat':
        return this.heartbeat(event, now);
      case 'hello':
        this.touch(event.gatewayId, event.intervalMs, now);
        return [];
    }
  }

  /** Drops the claims of gateways not heard from for MISSED_HEARTBEATS periods. */
  expire(now: number): PresenceTransition[] {
    const out: PresenceTransition[] = [];
    for (const [gatewayId, gateway] of this.gateways) {
      if (gatewayId === this.selfId || now - gateway.lastSeen <= MISSED_HEARTBEATS * gateway.intervalMs) continue;
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
    const out: UserView[] = [];
    for (const userId of this.byRoom.get(roomId) ?? []) {
      const user = this.users.get(userId)?.user;
      if (user) out.push(user);
    }
    return out;
  }

  gatewaysOf(userId: string): string[] {
    return [...(this.users.get(userId)?.gateways ?? [])];
  }

  private claim(event: Claim, now: number): PresenceTransition[] {
    const gateway = this.touch(event.gatewayId, event.intervalMs, now);
    const entry = this.entry(event.user.id);
    const wasOnline = entry.gateways.size > 0;
    entry.user = event.user;
    entry.gateways.add(event.gatewayId);
    gateway.users.add(event.user.id);
    this.addRooms(event.user.id, entry, event.roomIds);
    return wasOnline ? [] : [{ user: event.user, status: 'online', roomIds: [...entry.rooms] }];
  }

  private release(event: Release, now: number): PresenceTransition[] {
    this.touch(event.gatewayId, event.intervalMs, now);
    const entry = this.users.get(event.user.id);
    if (!entry?.gateways.has(event.gatewayId)) return [];
    entry.user ??= event.user;
    this.addRooms(event.user.id, entry, event.roomIds);
    return this.drop(event.gatewayId, event.user.id);
  }

  private heartbeat(event: Heartbeat, now: number): PresenceTransition[] {
    const gateway = this.touch(event.gatewayId, event.intervalMs, now);
    if (gateway.round !== event.round) {
      gateway.round = event.round;
      gateway.partsSeen = 0;
      gateway.listed = new Set();
    }
    for (const userId of event.userIds) {
      gateway.listed.add(userId);
      if (gateway.users.has(userId)) continue;
      // Online already, or about to be: a claim we missed. Nothing is announced for it.
      this.entry(userId).gateways.add(event.gatewayId);
      gateway.users.add(userId);
    }
    gateway.partsSeen += 1;
    if (gateway.partsSeen < event.parts) return [];
    // The complete list: whatever it no longer holds was released without our hearing it.
    const out: PresenceTransition[] = [];
    for (const userId of [...gateway.users]) {
      if (!gateway.listed.has(userId)) out.push(...this.drop(event.gatewayId, userId));
    }
    gateway.listed = new Set();
    return out;
  }

  private drop(gatewayId: string, userId: string): PresenceTransition[] {
    this.gateways.get(gatewayId)?.users.delete(userId);
    const entry = this.users.get(userId);
    if (!entry?.gateways.delete(gatewayId) || entry.gateways.size > 0) return [];
    this.users.delete(userId);
    for (const roomId of entry.rooms) {
      const members = this.byRoom.get(roomId);
      members?.delete(userId);
      if (members?.size === 0) this.byRoom.delete(roomId);
    }
    return entry.user ? [{ user: entry.user, status: 'offline', roomIds: [...entry.rooms] }] : [];
  }

  private touch(gatewayId: string, intervalMs: number, now: number): GatewayClaims {
    let gateway = this.gateways.get(gatewayId);
    if (!gateway) {
      gateway = { lastSeen: now, intervalMs, users: new Set(), partsSeen: 0, listed: new Set() };
      this.gateways.set(gatewayId, gateway);
    }
    gateway.lastSeen = now;
    gateway.intervalMs = intervalMs;
    return gateway;
  }

  private entry(userId: string): UserClaims {
    let entry = this.users.get(userId);
    if (!entry) {
      entry = { rooms: new Set(), gateways: new Set() };
      this.users.set(userId, entry);
    }
    return entry;
  }

  private addRooms(userId: string, entry: UserClaims, roomIds: readonly string[]): void {
    for (const roomId of roomIds) {
      entry.rooms.add(roomId);
      let members = this.byRoom.get(roomId);
      if (!members) this.byRoom.set(roomId, (members = new Set()));
      members.add(userId);
    }
  }
}
