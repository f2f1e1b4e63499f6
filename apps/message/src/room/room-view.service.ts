import { Injectable } from '@nestjs/common';
import { RoomView } from '@app/contracts';
import { toRoomView } from './room-view';
import { RoomStatsService } from './room-stats.service';
import { Room } from './room.schema';

/** Room views, their counts from RoomStatsService (no read per room when they are held). */
@Injectable()
export class RoomViewService {
  constructor(private readonly stats: RoomStatsService) {}

  /**
   * With `readSeq` (the viewer's read pointer, for a member) the view carries `unread`; with
   * `exactLastSeq` (just probed) it shows that instead of the one held.
   */
  async view(room: Room, viewerId: string, readSeq?: number, exactLastSeq?: number): Promise<RoomView> {
    const stats = await this.stats.of(room);
    const lastSeq = Math.max(stats.lastSeq, exactLastSeq ?? 0);
    return toRoomView(room, viewerId, { memberCount: stats.memberCount, lastSeq }, readSeq);
  }

  /** `readSeqs`: the viewer's read pointer per room they are a member of. */
  async views(rooms: Room[], viewerId: string, readSeqs?: Map<string, number>): Promise<RoomView[]> {
    const stats = await Promise.all(rooms.map((room) => this.stats.of(room)));
    return rooms.map((room, i) => toRoomView(room, viewerId, stats[i], readSeqs?.get(room._id)));
  }

  /** Exact: for catch-up and history, where a seq missed would be a gap. */
  lastSeq(room: Room): Promise<number> {
    return this.stats.exactLastSeq(room);
  }
}
