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
import { MembershipRepository } from '../membership/membership.repository';
import { NewMember, RoomMembersService } from '../membership/room-members.service';
import { RoomAccessService } from '../membership/room-access.service';
import { toRoomView } from './room-view';
import { RoomViewService } from './room-view.service';
import { RoomRepository } from './room.repository';
import { Room } from './room.schema';

@Injectable()
export class RoomService {
  constructor(
    private readonly rooms: RoomRepository,
    private readonly memberships: MembershipRepository,
    private readonly access: RoomAccessService,
    private readonly members: RoomMembersService,
    private readonly views: RoomViewService,
  ) {}

  /** Every public room and every room the actor is in (only the latter with `memberOnly`). */
  async list({ actor, memberOnly }: ListRoomsRequest): Promise<ListRoomsReply> {
    const mine = await this.memberships.listByUser(actor.id);
    const rooms = await this.rooms.findListed(
      mine.map((m) => m.roomId),
      !memberOnly,
    );
    const readSeqs = new Map(mine.map((m) => [m.roomId, m.lastReadSeq ?? 0]));
    return { rooms: await this.views.views(rooms, actor.id, readSeqs) };
  }

  /** The creator is the owner; the listed users (already resolved by the gateway) are members. */
  async create({ actor, name, kind, members }: CreateRoomRequest): Promise<RoomReply> {
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
      memberCount: everyone.size,
      lastSeq: 0,
      createdBy: actor.id,
      createdAt: new Date(),
    };
    await this.rooms.insert(room);
    await this.members.seed(room, [...everyone.values()]);
    return { room: await this.views.view(room, actor.id, 0) };
  }

  async get({ actor, roomId }: GetRoomRequest): Promise<GetRoomReply> {
    const { room, membership } = await this.access.readable(actor, roomId);
    const [members, lastSeq] = await Promise.all([this.memberships.listByRoom(room._id), this.views.lastSeq(room)]);
    const readSeq = membership ? (membership.lastReadSeq ?? 0) : undefined;
    return {
      room: toRoomView(room, actor.id, { memberCount: members.length, lastSeq }, readSeq),
      members: members.map((m) => ({ id: m.userId, username: m.username })),
    };
  }
}
