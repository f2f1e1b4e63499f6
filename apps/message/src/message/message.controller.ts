import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  ChatSubject,
  DeleteMessageReply,
  DeleteMessageRequest,
  EditMessageReply,
  EditMessageRequest,
  HistoryReply,
  HistoryRequest,
  SendMessageReply,
  SendMessageRequest,
} from '@app/contracts';
import { Handles } from '@app/nats';
import { MessageChangeService } from './message-change.service';
import { MessageService } from './message.service';

@Controller()
export class MessageController {
  constructor(
    private readonly messages: MessageService,
    private readonly changes: MessageChangeService,
  ) {}

  @Handles(ChatSubject.SendMessage)
  send(@Payload() req: SendMessageRequest): Promise<SendMessageReply> {
    return this.messages.send(req);
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
