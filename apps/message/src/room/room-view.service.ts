import { Injectable } from '@nestjs/common';
import { RoomView } from '@app/contracts';
import { MembershipRepository } from '../membership/membership.repository';
import { MessageRepository } from '../message/message.repository';
import { RoomStats, toRoomView } from './room-view';
import { RoomRepository } from './room.repository';
import { Room } from './room.schema';

/**
 * Room views with exact counts. The room document's memberCount and lastSeq are only hints:
 * FerretDB has no atomic update, so concurrent $inc / $max can lose one. The member count is
 * counted, and lastSeq probed upward from the hint (gapless seqs make that a lookup or two).
 * Hints found behind are raised on the way, so the next probe is short.
 */
@Injectable()
export class RoomViewService {
  constructor(
    private readonly rooms: RoomRepository,
    private readonly memberships: MembershipRepository,
    private readonly messages: MessageRepository,
  ) {}

  async view(room: Room, viewerId: string): Promise<RoomView> {
    const stats = await this.stats([room]);
    return toRoomView(room, viewerId, stats.get(room._id)!);
  }

  async views(rooms: Room[], viewerId: string): Promise<RoomView[]> {
    const stats = await this.stats(rooms);
    return rooms.map((room) => toRoomView(room, viewerId, stats.get(room._id)!));
  }

  async stats(rooms: Room[]): Promise<Map<string, RoomStats>> {
    const [counts, lastSeqs] = await Promise.all([
      this.memberships.countByRooms(rooms.map((r) => r._id)),
      Promise.all(rooms.map((room) => this.lastSeq(room))),
    ]);
    const stats = new Map<string, RoomStats>();
    rooms.forEach((room, i) => stats.set(room._id, { memberCount: counts.get(room._id) ?? 0, lastSeq: lastSeqs[i] }));
    await Promise.all(
      rooms
        .filter((room) => room.memberCount !== counts.get(room._id))
        .map((room) => this.rooms.setMemberCount(room._id, counts.get(room._id) ?? 0)),
    );
    return stats;
  }

  private async lastSeq(room: Room): Promise<number> {
    const lastSeq = await this.messages.lastSeq(room._id, room.lastSeq);
    if (lastSeq > room.lastSeq) await this.rooms.raiseLastSeq(room._id, lastSeq);
    return lastSeq;
  }
}
