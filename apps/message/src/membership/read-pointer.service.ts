import { Injectable } from '@nestjs/common';
import { EventSubject, MarkReadReply, MarkReadRequest } from '@app/contracts';
import { DomainError } from '@app/errors';
import { EventBus } from '@app/nats';
import { RoomViewService } from '../room/room-view.service';
import { RoomListRepository } from './room-list.repository';
import { RoomMembersService } from './room-members.service';
import { RoomAccessService } from './room-access.service';
import { MentionService } from '../mention/mention.service';

/**
 * Each member's read pointer (`readSeq` of the room in the user's room list): it only moves forward, and a seq
 * past the room's last is clamped to it. `room.read` goes out only when the pointer moved.
 */
@Injectable()
export class ReadPointerService {
  constructor(
    private readonly access: RoomAccessService,
    private readonly roomLists: RoomListRepository,
    private readonly members: RoomMembersService,
    private readonly views: RoomViewService,
    private readonly events: EventBus,
    private readonly mentions: MentionService,
  ) {}

  async markRead({ actor, roomId, seq }: MarkReadRequest): Promise<MarkReadReply> {
    const { room, membership } = await this.access.readable(actor, roomId);
    if (!membership) throw DomainError.forbidden('Join the room first');
    const current = await this.members.readSeqOf(membership);
    if (seq <= current) return { seq: current };
    const target = Math.min(seq, await this.views.lastSeq(room));
    if (target <= current) return { seq: current };
    // Atomic: of racing calls, only ones that move it forward win.
    if (!(await this.roomLists.advanceRead(actor.id, room._id, target))) {
      return { seq: await this.members.readSeqOf(membership) };
    }
    this.events.publish(EventSubject.room(room._id), {
      type: 'room.read',
      roomId: room._id,
      user: { id: actor.id, username: actor.username },
      seq: target,
    });
    await this.mentions.read(actor.id, room._id, target);
    return { seq: target };
  }
}
