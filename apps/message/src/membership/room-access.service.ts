import { Injectable } from '@nestjs/common';
import { UserView } from '@app/contracts';
import { DomainError } from '@app/errors';
import { LRUCache } from 'lru-cache';
import { RoomRepository } from '../room/room.repository';
import { Room } from '../room/room.schema';
import { MembershipRepository } from './membership.repository';
import { Membership } from './membership.schema';

export interface RoomAccess {
  room: Room;
  /** Null for a non-member of a public room. */
  membership: Membership | null;
}

/**
 * The access rule of the contract in one place: an unknown id is NOT_FOUND whatever its form;
 * public rooms are open to every user; private and direct rooms to their members only.
 */
@Injectable()
export class RoomAccessService {
  private readonly known = new LRUCache<string, Room>({ max: 100_000 });

  constructor(
    private readonly rooms: RoomRepository,
    private readonly memberships: MembershipRepository,
  ) {}

  /**
   * Rooms are never deleted and their kind never changes, so a room once found is cached (its
   * memberCount and lastSeq are hints that only lag, which views allow for). Memberships are
   * not cached: a member who left must be refused at once, on every instance.
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
    const membership = await this.memberships.find(room._id, actor.id);
    if (!membership && room.kind !== 'public') throw DomainError.forbidden('You are not a member of this room');
    return { room, membership };
  }
}
