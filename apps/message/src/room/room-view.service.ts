import { Injectable } from '@nestjs/common';
import { RoomView } from '@app/contracts';
import { MembershipRepository } from '../membership/membership.repository';
import { MessageRepository } from '../message/message.repository';
import { RoomStats, toRoomView } from './room-view';
import { LastSeqHintService } from './last-seq-hint.service';
import { Room } from './room.schema';

/**
 * Room views with exact counts. The room document's memberCount and lastSeq are only hints:
 * FerretDB has no atomic update, so concurrent $inc / $max can lose one. The members are
 * counted, and lastSeq probed upward from the hint (gapless seqs make that a lookup or two).
 */
@Injectable()
export class RoomViewService {
  constructor(
    private readonly hints: LastSeqHintService,
    private readonly memberships: MembershipRepository,
    private readonly messages: MessageRepository,
  ) {}

  /** With `readSeq` (the viewer's read pointer, for a member) the view carries `unread`. */
  async view(room: Room, viewerId: string, readSeq?: number): Promise<RoomView> {
    const stats = await this.stats([room]);
    return toRoomView(room, viewerId, stats.get(room._id)!, readSeq);
  }

  /** `readSeqs`: the viewer's read pointer per room they are a member of. */
  async views(rooms: Room[], viewerId: string, readSeqs?: Map<string, number>): Promise<RoomView[]> {
    const stats = await this.stats(rooms);
    return rooms.map((room) => toRoomView(room, viewerId, stats.get(room._id)!, readSeqs?.get(room._id)));
  }

  async stats(rooms: Room[]): Promise<Map<string, RoomStats>> {
    const [counts, lastSeqs] = await Promise.all([
      this.memberships.countByRooms(rooms.map((r) => r._id)),
      Promise.all(rooms.map((room) => this.lastSeq(room))),
    ]);
    const stats = new Map<string, RoomStats>();
    rooms.forEach((room, i) => stats.set(room._id, { memberCount: counts.get(room._id) ?? 0, lastSeq: lastSeqs[i] }));
    return stats;
  }

  /** Exact: probed upward from the hint, which is then raised so the next probe is short. */
  async lastSeq(room: Room): Promise<number> {
    const hint = this.hints.best(room._id, room.lastSeq);
    const lastSeq = await this.messages.lastSeq(room._id, hint);
    if (lastSeq > hint) this.hints.raise(room._id, lastSeq);
    return lastSeq;
  }
}
