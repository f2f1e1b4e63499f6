import { Controller } from '@nestjs/common';
import { Ctx, NatsContext, Payload } from '@nestjs/microservices';
import {
  ChatSubject,
  DeleteMessageReply,
  DeleteMessageRequest,
  EditMessageReply,
  EditMessageRequest,
  HistoryReply,
  isDirectSubject,
  HistoryRequest,
  SendMessageReply,
  SendMessageRequest,
} from '@app/contracts';
import { Handles } from '@app/nats';
import { MessageChangeService } from './message-change.service';
import { MessageService } from './message.service';
import { RoomWriters } from './room-writers.service';

@Controller()
export class MessageController {
  constructor(
    private readonly messages: MessageService,
    private readonly changes: MessageChangeService,
    private readonly writers: RoomWriters,
  ) {}

  /** Written by the room's writer (RoomWriters): a send for another's room is handed to it. */
  @Handles(ChatSubject.SendMessage, { direct: true })
  send(@Payload() req: SendMessageRequest, @Ctx() ctx: NatsContext): Promise<SendMessageReply> {
    const here = () => this.messages.send(req);
    // Handed over by another instance: this one writes it, whatever it thinks of the room.
    if (isDirectSubject(ctx.getSubject())) return here();
    const writer = this.writers.writerOf(req.roomId);
    return writer === undefined ? here() : this.writers.handOver(writer, req, here);
  }

  @Handles(ChatSubject.History)
  history(@Payload() req: HistoryRequest): Promise<HistoryReply> {
    return this.messages.history(req);
  }

  @Handles(ChatSubject.EditMessage)
  edit(@Payload() req: EditMessageRequest): Promise<EditMessageReply> {
    return this.changes.edit(req);
  }

  @Handles(ChatSubject.DeleteMessage)
  delete(@Payload() req: DeleteMessageRequest): Promise<DeleteMessageReply> {
    return this.changes.delete(req);
  }
}
