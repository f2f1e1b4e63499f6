import { RoomView } from '@app/contracts';
import { Room } from './room.schema';

/** What a view needs beyond the room document (RoomStatsService). */
export interface RoomStats {
  memberCount: number;
  lastSeq: number;
}

/**
 * A room as `viewerId` sees it: a direct room is named after the other member. With the viewer's
 * read pointer (members only), `unread` = lastSeq − readSeq: no scan, and tombstones and the
 * viewer's own messages count too (the client moves its pointer past what it has shown).
 */
export function toRoomView(
  room: Room,
  viewerId: string,
  stats: RoomStats,
  readSeq?: number,
  unreadMentions?: number,
): RoomView {
  return {
    id: room._id,
    name: room.kind === 'direct' ? directRoomName(room, viewerId) : room.name,
    kind: room.kind,
    memberCount: stats.memberCount,
    lastSeq: stats.lastSeq,
    ...(readSeq === undefined
      ? {}
      : { unread: Math.max(0, stats.lastSeq - readSeq), unreadMentions: unreadMentions ?? 0 }),
  };
}

function directRoomName(room: Room, viewerId: string): string {
  const people = room.participants ?? [];
  const other = people.find((p) => p.id !== viewerId) ?? people[0];
  return other?.username ?? room.name;
}
