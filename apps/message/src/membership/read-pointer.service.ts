import { Injectable } from '@nestjs/common';
import { EventSubject, MarkReadReply, MarkReadRequest } from '@app/contracts';
import { DomainError } from '@app/errors';
import { EventBus } from '@app/nats';
import { RoomViewService } from '../room/room-view.service';
import { MembershipRepository } from './membership.repository';
import { RoomAccessService } from './room-access.service';

/**
 * Each member's read pointer (`lastReadSeq` on the membership): it only moves forward, and a seq
 * past the room's last is clamped to it. `room.read` goes out only when the pointer moved.
 */
@Injectable()
export class ReadPointerService {
  constructor(
    private readonly access: RoomAccessService,
    private readonly memberships: MembershipRepository,
    private readonly views: RoomViewService,
    private readonly events: EventBus,
  ) {}

  async markRead({ actor, roomId, seq }: MarkReadRequest): Promise<MarkReadReply> {
    const { room, membership } = await this.access.readable(actor, roomId);
    if (!membership) throw DomainError.forbidden('Join the room first');
    const current = membership.lastReadSeq ?? 0;
    if (seq <= current) return { seq: current };
    const target = Math.min(seq, await this.views.lastSeq(room));
    if (target <= current) return { seq: current };
    // Read-modify-write on FerretDB: a concurrent call may still win with a lower seq, rarely.
    if (!(await this.memberships.advanceRead(membership._id, target))) return { seq: current };
    this.events.publish(EventSubject.room(room._id), {
      type: 'room.read',
      roomId: room._id,
      user: { id: actor.id, username: actor.username },
      seq: target,
    });
    return { seq: target };
  }
}
