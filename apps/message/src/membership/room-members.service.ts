import { Injectable } from '@nestjs/common';
import { EventSubject, UserView } from '@app/contracts';
import { EventBus } from '@app/nats';
import { RoomViewService } from '../room/room-view.service';
import { RoomRepository } from '../room/room.repository';
import { toRoomView } from '../room/room-view';
import { Room } from '../room/room.schema';
import { membershipIdOf } from './membership-id';
import { MembershipRepository } from './membership.repository';
import { MemberRole, Membership } from './membership.schema';

export interface NewMember {
  user: UserView;
  role: MemberRole;
}

/**
 * Membership writes and their events. Events go out only after the write succeeded: the room
 * subject hears `member.changed`, the user's own subject `room.added` / `room.removed`. The
 * room's stored memberCount is refreshed after each change (a hint: views count for themselves).
 */
@Injectable()
export class RoomMembersService {
  constructor(
    private readonly memberships: MembershipRepository,
    private readonly rooms: RoomRepository,
    private readonly views: RoomViewService,
    private readonly events: EventBus,
  ) {}

  /**
   * Adds one user to a room; false when they already were a member. A newcomer has read what was
   * there before they came: the history of a room just joined is not "unread".
   */
  async add(room: Room, user: UserView, role: MemberRole): Promise<boolean> {
    const readSeq = await this.views.lastSeq(room);
    if (!(await this.memberships.insert(membershipOf(room, user, role, readSeq)))) return false;
    const who = { id: user.id, username: user.username };
    this.events.publish(EventSubject.room(room._id), {
      type: 'member.changed',
      roomId: room._id,
      user: who,
      change: 'joined',
    });
    const view = await this.views.view(room, user.id, readSeq);
    this.events.publish(EventSubject.user(user.id), { type: 'room.added', room: view });
    await this.rooms.setMemberCount(room._id, view.memberCount);
    return true;
  }

  /**
   * Memberships of a room just created; also completes a creation cut short. Each user
   * actually added hears `room.added` (nobody listens on a new room's subject yet).
   */
  async seed(room: Room, members: NewMember[]): Promise<void> {
    const added = await Promise.all(members.map((m) => this.memberships.insert(membershipOf(room, m.user, m.role))));
    if (!added.some(Boolean)) return;
    const stats = (await this.views.stats([room])).get(room._id)!;
    members.forEach((m, i) => {
      if (!added[i]) return;
      this.events.publish(EventSubject.user(m.user.id), {
        type: 'room.added',
        room: toRoomView(room, m.user.id, stats),
      });
    });
  }

  /** Removes the user; false when they were not a member (leaving twice is fine). */
  async remove(room: Room, userId: string): Promise<boolean> {
    const removed = await this.memberships.remove(room._id, userId);
    if (!removed) return false;
    this.events.publish(EventSubject.room(room._id), {
      type: 'member.changed',
      roomId: room._id,
      user: { id: removed.userId, username: removed.username },
      change: 'left',
    });
    this.events.publish(EventSubject.user(userId), { type: 'room.removed', roomId: room._id });
    const counts = await this.memberships.countByRooms([room._id]);
    await this.rooms.setMemberCount(room._id, counts.get(room._id) ?? 0);
    return true;
  }
}

function membershipOf(room: Room, user: UserView, role: MemberRole, readSeq = 0): Membership {
  return {
    _id: membershipIdOf(room._id, user.id),
    roomId: room._id,
    userId: user.id,
    username: user.username,
    role,
    joinedAt: new Date(),
    lastReadSeq: readSeq,
  };
}
