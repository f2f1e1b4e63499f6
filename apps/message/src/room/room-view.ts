import { RoomView } from '@app/contracts';
import { Room } from './room.schema';

/** What a view needs beyond the room document: counted, not taken from its advisory fields. */
export interface RoomStats {
  memberCount: number;
  lastSeq: number;
}

/** A room as `viewerId` sees it: a direct room is named after the other member. */
export function toRoomView(room: Room, viewerId: string, stats: RoomStats): RoomView {
  return {
    id: room._id,
    name: room.kind === 'direct' ? directRoomName(room, viewerId) : room.name,
    kind: room.kind,
    memberCount: stats.memberCount,
    lastSeq: stats.lastSeq,
  };
}

function directRoomName(room: Room, viewerId: string): string {
  const people = room.participants ?? [];
  const other = people.find((p) => p.id !== viewerId) ?? people[0];
  return other?.username ?? room.name;
}
