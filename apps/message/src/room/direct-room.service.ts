import { RateLimitService } from '../common/rate-limit.service';
import { Injectable } from '@nestjs/common';
import { OpenDirectReply, OpenDirectRequest } from '@app/contracts';
import { DomainError } from '@app/errors';
import { isDuplicateKey } from '@app/mongo';
import { RoomMembersService } from '../membership/room-members.service';
import { directRoomIdOf, directRoomKey } from './room-key';
import { RoomViewService } from './room-view.service';
import { RoomRepository } from './room.repository';
import { Room } from './room.schema';

/**
 * The one direct room of two users: its unique key (and its `_id`, derived from the key) make it
 * exist once, whoever opens it first, on whichever instance.
 */
@Injectable()
export class DirectRoomService {
  constructor(
    private readonly rooms: RoomRepository,
    private readonly members: RoomMembersService,
    private readonly views: RoomViewService,
    private readonly limits: RateLimitService,
  ) {}

  async open({ actor, peer }: OpenDirectRequest): Promise<OpenDirectReply> {
    await this.limits.consume(actor, 'dmOpen');
    if (actor.id === peer.id) throw DomainError.validation('A direct conversation needs another user');
    const key = directRoomKey(actor.id, peer.id);
    const id = directRoomIdOf(key);
    const pair = [
      { id: actor.id, username: actor.username },
      { id: peer.id, username: peer.username },
    ];
    let room = await this.rooms.findById(id);
    let created = false;
    if (!room) {
      const fresh: Room = {
        _id: id,
        key,
        name: '',
        kind: 'direct',
        memberCount: 0, // counted as the memberships are written
        lastSeq: 0,
        participants: pair,
        createdBy: actor.id,
        createdAt: new Date(),
      };
      try {
        await this.rooms.insert(fresh);
        room = fresh;
        created = true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        room = await this.rooms.findById(id); // another instance won the race
        if (!room) throw DomainError.unavailable();
      }
    }
    // Also completes a creation cut short between the room and its memberships.
    await this.members.seed(
      room,
      pair.map((user) => ({ user, role: 'member' as const })),
    );
    return { room: await this.views.view(room, actor.id), created };
  }
}
