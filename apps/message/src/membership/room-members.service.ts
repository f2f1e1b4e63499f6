import { Injectable } from '@nestjs/common';
import { EventSubject, UserView } from '@app/contracts';
import { EventBus } from '@app/nats';
import { RoomRepository } from '../room/room.repository';
import { RoomStatsService } from '../room/room-stats.service';
import { toRoomView } from '../room/room-view';
import { Room } from '../room/room.schema';
import { MemberListRepository } from './member-list.repository';
import { membershipIdOf } from './membership-id';
import { MembershipRepository } from './membership.repository';
import { MemberRole, Membership } from './membership.schema';
import { RoomAccessService } from './room-access.service';
import { RoomListRepository } from './room-list.repository';

export interface NewMember {
  user: UserView;
  role: MemberRole;
}

/**
 * Membership writes and their events. The membership document (`<room>:<user>`) is the authority
 * on access: inserting it decides a race to join, deleting it one to leave (each exactly once). The
 * user's room list, the room's member list and its member count follow it. Without transactions
 * the order keeps a crash from leaving a list entry without a membership (which would subscribe a
 * socket to a room its user may not read): added membership first, lists after; removed lists
 * first, membership after. A join or a room view that finds a membership without its list entry
 * puts it back (`repair`); each write re-checks for a racing opposite change.
 * Events go out after the writes: `member.changed` on the room, `room.added` / `room.removed` on the user.
 */
@Injectable()
export class RoomMembersService {
  constructor(
    private readonly memberships: MembershipRepository,
    private readonly roomLists: RoomListRepository,
    private readonly memberLists: MemberListRepository,
    private readonly rooms: RoomRepository,
    private readonly stats: RoomStatsService,
    private readonly access: RoomAccessService,
    private readonly events: EventBus,
  ) {}

  /**
   * Adds one user to a room; false when they already were a member. A newcomer has read what was
   * there before they came: the history of a room just joined is not "unread".
   */
  async add(room: Room, user: UserView, role: MemberRole): Promise<boolean> {
    const readSeq = await this.stats.exactLastSeq(room);
    const membership = membershipOf(room, user, role, readSeq);
    if (!(await this.memberships.insert(membership))) return false;
    await this.count(room, +1); // counted with the membership: whoever deletes it counts it down
    if (!(await this.list(membership))) return false;
    const who = { id: user.id, username: user.username };
    this.events.publish(EventSubject.room(room._id), {
      type: 'member.changed',
      roomId: room._id,
      user: who,
      change: 'joined',
    });
    const view = toRoomView(room, user.id, await this.stats.of(room), readSeq);
    this.events.publish(EventSubject.user(user.id), { type: 'room.added', room: view });
    return true;
  }

  /**
   * Memberships of a room just created; also completes a creation cut short. Each user
   * actually added hears `room.added` (nobody listens on a new room's subject yet).
   */
  async seed(room: Room, members: NewMember[]): Promise<void> {
    const created = members.map((m) => membershipOf(room, m.user, m.role));
    const inserted = await Promise.all(created.map((m) => this.memberships.insert(m)));
    if (!inserted.some(Boolean)) return;
    await this.count(room, inserted.filter(Boolean).length);
    const listed = await Promise.all(created.map((m, i) => (inserted[i] ? this.list(m) : Promise.resolve(false))));
    const added = members.filter((_, i) => listed[i]);
    const stats = await this.stats.of(room);
    for (const m of added) {
      this.events.publish(EventSubject.user(m.user.id), {
        type: 'room.added',
        room: toRoomView(room, m.user.id, stats, 0),
      });
    }
  }

  /** Removes the user; false when they were not a member (leaving twice is fine). */
  async remove(room: Room, userId: string): Promise<boolean> {
    const membership = await this.memberships.find(room._id, userId);
    if (!membership) return false;
    await this.unlist(membership);
    const removed = await this.memberships.remove(room._id, userId);
    if (!removed) return false;
    await this.unlist(removed); // a join racing this leave may have listed it again
    this.access.forget(room._id, userId);
    await this.count(room, -1, userId);
    this.events.publish(EventSubject.room(room._id), {
      type: 'member.changed',
      roomId: room._id,
      user: { id: removed.userId, username: removed.username },
      change: 'left',
    });
    this.events.publish(EventSubject.user(userId), { type: 'room.removed', roomId: room._id });
    return true;
  }

  /**
   * A member's read pointer, from their room list; a membership whose writer died before listing it
   * (see the class) is listed again here, with the pointer it was created with.
   */
  async readSeqOf(membership: Membership): Promise<number> {
    const readSeq = await this.roomLists.readSeq(membership.userId, membership.roomId);
    if (readSeq !== null) return readSeq;
    await this.list(membership);
    return membership.lastReadSeq;
  }

  /** Lists a membership in both lists; false (and unlisted again) when it was removed meanwhile. */
  private async list(m: Membership): Promise<boolean> {
    await Promise.all([this.roomLists.add(m.userId, m.roomId, m.lastReadSeq), this.memberLists.add(m.roomId, m)]);
    if (await this.memberships.find(m.roomId, m.userId)) return true;
    await this.unlist(m);
    return false;
  }

  private async unlist(m: Membership): Promise<void> {
    await Promise.all([this.roomLists.remove(m.userId, m.roomId), this.memberLists.remove(m.roomId, m)]);
  }

  /** `left`: the user removed, so that every instance drops its held membership. */
  private async count(room: Room, delta: number, left?: string): Promise<void> {
    const changed = await this.rooms.changeMemberCount(room._id, delta);
    const counts = changed ? { memberCount: changed.memberCount, version: changed.version } : {};
    if (changed || left) this.stats.announce({ roomId: room._id, ...counts, ...(left ? { left } : {}) });
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
