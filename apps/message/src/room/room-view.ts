import { RoomView } from '@app/contracts';
import { Room } from './room.schema';

/** A room as `viewerId` sees it: a direct room is named after the other member. */
export function toRoomView(room: Room, viewerId: string): RoomView {
  return {
    id: room._id,
    name: room.kind === 'direct' ? directRoomName(room, viewerId) : room.name,
    kind: room.kind,
    memberCount: room.memberCount,
    lastSeq: room.lastSeq,
  };
}

function directRoomName(room: Room, viewerId: string): string {
  const people = room.participants ?? [];
  const other = people.find((p) => p.id !== viewerId) ?? people[0];
  return other?.username ?? room.name;
}
