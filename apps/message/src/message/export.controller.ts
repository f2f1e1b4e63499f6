import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  ChatSubject,
  ExportMessagesReply,
  ExportMessagesRequest,
  ExportRoomsReply,
  ExportRoomsRequest,
} from '@app/contracts';
import { Handles } from '@app/nats';
import { RoomViewService } from '../room/room-view.service';
import { RoomRepository } from '../room/room.repository';
import { toMessageView } from './message-view';
import { MessageRepository } from './message.repository';

/**
 * What the search service reads to rebuild its index from the store: every room (with its kind and
 * exact last seq), then each room's messages by seq, as `_id $in` pages. No gateway asks these.
 */
@Controller()
export class ExportController {
  constructor(
    private readonly rooms: RoomRepository,
    private readonly views: RoomViewService,
    private readonly messages: MessageRepository,
  ) {}

  @Handles(ChatSubject.ExportRooms)
  async exportRooms(@Payload() { offset, limit }: ExportRoomsRequest): Promise<ExportRoomsReply> {
    const rooms = await this.rooms.page(offset, limit);
    const lastSeqs = await Promise.all(rooms.map((r) => this.views.lastSeq(r)));
    return { rooms: rooms.map((r, i) => ({ id: r._id, kind: r.kind, lastSeq: lastSeqs[i] })) };
  }

  @Handles(ChatSubject.ExportMessages)
  async exportMessages(@Payload() { roomId, fromSeq, limit }: ExportMessagesRequest): Promise<ExportMessagesReply> {
    const found = await this.messages.findRange(roomId, { from: fromSeq, to: fromSeq + limit - 1, hasMore: false });
    return { messages: found.map(toMessageView) };
  }
}
