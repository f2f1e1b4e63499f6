import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventSubject, UserView } from '@app/contracts';
import { EventBus } from '@app/nats';
import { Subscription } from 'nats';
import { membershipIdOf } from './membership-id';
import { DomainError } from '@app/errors';
import { entryBoundedCache } from '../common/entry-bounded-cache';
import { RoomRepository } from '../room/room.repository';
import { Room } from '../room/room.schema';
import { MembershipRepository } from './membership.repository';
import { Membership } from './membership.schema';

export interface RoomAccess {
  room: Room;
  /** Null for a non-member of a public room. */
  membership: Membership | null;
}

/** How long a membership found is trusted without a read: bounds the effect of a missed removal event. */
export const MEMBERSHIP_TRUST_MS = 5000;

/**
 * The access rule of the contract in one place: an unknown id is NOT_FOUND whatever its form;
 * public rooms are open to every user; private and direct rooms to their members only.
 *
 * Memberships found are held for MEMBERSHIP_TRUST_MS, so a stream of sends costs no read each;
 * a removal drops them at once, here and (by the `left` of a RoomStats event) on every instance,
 * and a NATS reconnection drops them all. Only memberships are held, never their absence: one just
 * granted anywhere is seen at once.
 */
@Injectable()
export class RoomAccessService implements OnModuleInit, OnModuleDestroy {
  private readonly known = entryBoundedCache<string, Room>(100_000);
  private readonly members = entryBoundedCache<string, Membership>(200_000, { ttl: MEMBERSHIP_TRUST_MS });
  /** When each membership was last dropped: a read that began before then may not be held. */
  private readonly dropped = entryBoundedCache<string, number>(100_000, { ttl: 4 * MEMBERSHIP_TRUST_MS });
  private subscription?: Subscription;

  constructor(
    private readonly rooms: RoomRepository,
    private readonly memberships: MembershipRepository,
    private readonly events: EventBus,
  ) {}

  onModuleInit(): void {
    this.subscription = this.events.subscribe(EventSubject.RoomStats, (event) => {
      if (event.left) this.forget(event.roomId, event.left);
    });
    this.events.onReconnect(() => this.members.clear());
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Drops a held membership (the user left, or was removed). */
  forget(roomId: string, userId: string): void {
    const id = membershipIdOf(roomId, userId);
    this.members.delete(id);
    this.dropped.set(id, Date.now());
  }

  /**
   * Rooms are never deleted and their kind never changes, so a room once found is cached (its
   * counts are taken from RoomStatsService, not from this copy).
   */
  async room(roomId: string): Promise<Room> {
    const room = await this.find(roomId);
    if (!room) throw DomainError.notFound('No such room');
    return room;
  }

  /** The room, or null when there is none. */
  async find(roomId: string): Promise<Room | null> {
    const cached = this.known.get(roomId);
    if (cached) return cached;
    const room = await this.rooms.findById(roomId);
    if (room) this.known.set(roomId, room);
    return room;
  }

  /** The room and the actor's membership, when the actor may read it. */
  async readable(actor: UserView, roomId: string): Promise<RoomAccess> {
    const room = await this.room(roomId);
    const membership = await this.membership(room._id, actor.id);
    if (!membership && room.kind !== 'public') throw DomainError.forbidden('You are not a member of this room');
    return { room, membership };
  }

  private async membership(roomId: string, userId: string): Promise<Membership | null> {
    const id = membershipIdOf(roomId, userId);
    const held = this.members.get(id);
    if (held) return held;
    const began = Date.now();
    const found = await this.memberships.find(roomId, userId);
    if (found && !((this.dropped.get(id) ?? -1) >= began)) this.members.set(id, found);
    return found;
  }
}
