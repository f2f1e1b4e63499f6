import { Injectable } from '@nestjs/common';
import { EventSubject, UserView } from '@app/contracts';
import { EventBus } from '@app/nats';
import { RoomRepository } from '../room/room.repository';
import { toRoomView } from '../room/room-view';
import { Room } from '../room/room.schema';
import { MembershipRepository } from './membership.repository';
import { MemberRole } from './membership.schema';

export interface NewMember {
  user: UserView;
  role: MemberRole;
}

/**
 * Membership writes and their events. Events go out only after the write succeeded: the room
 * subject hears `member.changed`, the user's own subject `room.added` / `room.removed`.
 */
@Injectable()
export class RoomMembersService {
  constructor(
    private readonly memberships: MembershipRepository,
    private readonly rooms: RoomRepository,
    private readonly events: EventBus,
  ) {}

  /** Adds one user to an existing room: the room as it now is, or null if already a member. */
  async add(room: Room, user: UserView, role: MemberRole): Promise<Room | null> {
    const added = await this.memberships.insert(membershipOf(room, user, role));
    if (!added) return null;
    const updated = (await this.rooms.addToMemberCount(room._id, 1)) ?? room;
    const who = { id: user.id, username: user.username };
    this.events.publish(EventSubject.room(room._id), {
      type: 'member.changed',
      roomId: room._id,
      user: who,
      change: 'joined',
    });
    this.events.publish(EventSubject.user(user.id), { type: 'room.added', room: toRoomView(updated, user.id) });
    return updated;
  }

  /**
   * Memberships of a room just created (whose memberCount already counts them); also repairs a
   * creation cut short. Each user actually added hears `room.added`.
   */
  async seed(room: Room, members: NewMember[]): Promise<void> {
    const added = await Promise.all(members.map((m) => this.memberships.insert(membershipOf(room, m.user, m.role))));
    members.forEach((m, i) => {
      if (added[i]) {
        this.events.publish(EventSubject.user(m.user.id), { type: 'room.added', room: toRoomView(room, m.user.id) });
      }
    });
  }

  /** Removes the user; false when they were not a member (leaving twice is fine). */
  async remove(room: Room, userId: string): Promise<boolean> {
    const removed = await this.memberships.remove(room._id, userId);
    if (!removed) return false;
    await this.rooms.addToMemberCount(room._id, -1);
    this.events.publish(EventSubject.room(room._id), {
      type: 'member.changed',
      roomId: room._id,
      user: { id: removed.userId, username: removed.username },
      change: 'left',
    });
    this.events.publish(EventSubject.user(userId), { type: 'room.removed', roomId: room._id });
    return true;
  }
}

function membershipOf(room: Room, user: UserView, role: MemberRole) {
  return { roomId: room._id, userId: user.id, username: user.username, role, joinedAt: new Date(), lastReadSeq: 0 };
}
