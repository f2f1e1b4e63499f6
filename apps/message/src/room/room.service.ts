import { RateLimitService } from '../common/rate-limit.service';
import { Injectable } from '@nestjs/common';
import {
  CreateRoomRequest,
  GetRoomReply,
  GetRoomRequest,
  ListRoomsReply,
  ListRoomsRequest,
  RoomReply,
} from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { MemberListRepository } from '../membership/member-list.repository';
import { RoomListRepository } from '../membership/room-list.repository';
import { NewMember, RoomMembersService } from '../membership/room-members.service';
import { RoomAccessService } from '../membership/room-access.service';
import { PublicDirectoryService } from './public-directory.service';
import { toRoomView } from './room-view';
import { RoomViewService } from './room-view.service';
import { RoomRepository } from './room.repository';
import { Room } from './room.schema';

@Injectable()
export class RoomService {
  constructor(
    private readonly rooms: RoomRepository,
    private readonly roomLists: RoomListRepository,
    private readonly memberLists: MemberListRepository,
    private readonly directory: PublicDirectoryService,
    private readonly access: RoomAccessService,
    private readonly members: RoomMembersService,
    private readonly views: RoomViewService,
    private readonly limits: RateLimitService,
  ) {}

  /** Every public room and every room the actor is in (only the latter with `memberOnly`). */
  async list({ actor, memberOnly }: ListRoomsRequest): Promise<ListRoomsReply> {
    const mine = await this.roomLists.entries(actor.id);
    const ids = new Set(mine.keys());
    if (!memberOnly) for (const id of await this.directory.list()) ids.add(id);
    const found = await Promise.all([...ids].map((id) => this.access.find(id)));
    const rooms = found.filter((r): r is Room => r !== null);
    rooms.sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime());
    return { rooms: await this.views.views(rooms, actor.id, mine) };
  }

  /** The creator is the owner; the listed users (already resolved by the gateway) are members. */
  async create({ actor, name, kind, members }: CreateRoomRequest): Promise<RoomReply> {
    await this.limits.consume(actor, 'roomCreate');
    const everyone = new Map<string, NewMember>([[actor.id, { user: actor, role: 'owner' }]]);
    for (const user of members) {
      if (!everyone.has(user.id)) everyone.set(user.id, { user, role: 'member' });
    }
    const id = randomUUID();
    const room: Room = {
      _id: id,
      key: id,
      name: name.trim(),
      kind,
      memberCount: 0, // counted as the memberships are written
      lastSeq: 0,
      createdBy: actor.id,
      createdAt: new Date(),
    };
    // Listed first: a crash in between leaves an entry that names nothing (skipped), never a room nobody can find.
    if (kind === 'public') await this.directory.add(room._id);
    await this.rooms.insert(room);
    await this.members.seed(room, [...everyone.values()]);
    return { room: await this.views.view(room, actor.id, 0) };
  }

  async get({ actor, roomId }: GetRoomRequest): Promise<GetRoomReply> {
    const { room, membership } = await this.access.readable(actor, roomId);
    const [members, lastSeq, readSeq] = await Promise.all([
      this.memberLists.members(room._id),
      this.views.lastSeq(room),
      membership ? this.members.readSeqOf(membership) : undefined,
    ]);
    return {
      room: toRoomView(room, actor.id, { memberCount: members.length, lastSeq }, readSeq),
      members: members.map((m) => ({ id: m.userId, username: m.username })),
    };
  }
}
