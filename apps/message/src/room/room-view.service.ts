import { Injectable } from '@nestjs/common';
import { RoomView } from '@app/contracts';
import { toRoomView } from './room-view';
import { RoomStatsService } from './room-stats.service';
import { Room } from './room.schema';
import { MentionService, unreadMentions } from '../mention/mention.service';

/** Room views, their counts from RoomStatsService (no read per room when they are held). */
@Injectable()
export class RoomViewService {
  constructor(
    private readonly stats: RoomStatsService,
    private readonly mentions: MentionService,
  ) {}

  /**
   * With `readSeq` (the viewer's read pointer, for a member) the view carries `unread`; with
   * `exactLastSeq` (just probed) it shows that instead of the one held.
   */
  async view(room: Room, viewerId: string, readSeq?: number, exactLastSeq?: number): Promise<RoomView> {
    const [stats, mentions] = await Promise.all([
      this.stats.of(room),
      readSeq === undefined ? undefined : this.mentions.of(viewerId),
    ]);
    const lastSeq = Math.max(stats.lastSeq, exactLastSeq ?? 0);
    const unread = readSeq === undefined ? undefined : unreadMentions(mentions?.get(room._id), readSeq);
    return toRoomView(room, viewerId, { memberCount: stats.memberCount, lastSeq }, readSeq, unread);
  }

  /** `readSeqs`: the viewer's read pointer per room they are a member of. */
  async views(rooms: Room[], viewerId: string, readSeqs?: Map<string, number>): Promise<RoomView[]> {
    const [stats, mentions] = await Promise.all([
      Promise.all(rooms.map((room) => this.stats.of(room))),
      readSeqs && readSeqs.size > 0 ? this.mentions.of(viewerId) : undefined,
    ]);
    return rooms.map((room, i) => {
      const readSeq = readSeqs?.get(room._id);
      const unread = readSeq === undefined ? undefined : unreadMentions(mentions?.get(room._id), readSeq);
      return toRoomView(room, viewerId, stats[i], readSeq, unread);
    });
  }

  /** Exact: for catch-up and history, where a seq missed would be a gap. */
  lastSeq(room: Room): Promise<number> {
    return this.stats.exactLastSeq(room);
  }
}
