import { Injectable } from '@nestjs/common';
import {
  AddMemberRequest,
  JoinRoomReply,
  JoinRoomRequest,
  LeaveRoomReply,
  LeaveRoomRequest,
  MISSED_MAX,
  RoomReply,
} from '@app/contracts';
import { DomainError } from '@app/errors';
import { pageRange } from '../message/history-page';
import { MessageRepository } from '../message/message.repository';
import { toMessageView } from '../message/message-view';
import { RoomViewService } from '../room/room-view.service';
import { MembershipRepository } from './membership.repository';
import { RoomAccessService } from './room-access.service';
import { RoomMembersService } from './room-members.service';

/** Joining, leaving and adding members, with the contract's rules for each kind of room. */
@Injectable()
export class MembershipService {
  constructor(
    private readonly access: RoomAccessService,
    private readonly members: RoomMembersService,
    private readonly memberships: MembershipRepository,
    private readonly messages: MessageRepository,
    private readonly views: RoomViewService,
  ) {}

  /**
   * Public rooms: joins. Private and direct: confirms an existing membership, else FORBIDDEN.
   * With afterSeq, also returns what came after it (at most MISSED_MAX; hasMore says more exist).
   */
  async join({ actor, roomId, afterSeq }: JoinRoomRequest): Promise<JoinRoomReply> {
    const { room, membership } = await this.access.readable(actor, roomId);
    let mine = membership;
    if (!mine) {
      // Joined just now (or concurrently): the stored pointer is where the newcomer's reading starts.
      await this.members.add(room, actor, 'member');
      mine = await this.memberships.find(room._id, actor.id);
    }
    const readSeq = mine ? await this.members.readSeqOf(mine) : 0;
    if (afterSeq === undefined)
      return { room: await this.views.view(room, actor.id, readSeq), missed: [], hasMore: false };
    // Catch-up needs the exact last seq (a held one may lag behind another instance's last batch):
    // probed first, so the view shows it too.
    const lastSeq = await this.views.lastSeq(room);
    const view = await this.views.view(room, actor.id, readSeq, lastSeq);
    const range = pageRange({ after: afterSeq, limit: MISSED_MAX }, lastSeq);
    const missed = await this.messages.findRange(room._id, range);
    return { room: view, missed: missed.map(toMessageView), hasMore: range.hasMore };
  }

  async leave({ actor, roomId }: LeaveRoomRequest): Promise<LeaveRoomReply> {
    const room = await this.access.room(roomId);
    if (room.kind === 'direct') throw DomainError.validation('A direct conversation cannot be left');
    await this.members.remove(room, actor.id);
    return {};
  }

  /** A member adds someone; adding an existing member changes nothing. */
  async addMember({ actor, roomId, member }: AddMemberRequest): Promise<RoomReply> {
    const room = await this.access.room(roomId);
    if (room.kind === 'direct') throw DomainError.forbidden('Nobody can be added to a direct conversation');
    if (!(await this.memberships.find(room._id, actor.id))) {
      throw DomainError.forbidden('Only members can add someone to this room');
    }
    await this.members.add(room, member, 'member');
    return { room: await this.views.view(room, actor.id) };
  }
}
