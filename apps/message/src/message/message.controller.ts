import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ChatSubject, HistoryReply, HistoryRequest, SendMessageReply, SendMessageRequest } from '@app/contracts';
import { Handles } from '../common/handles.decorator';
import { MessageService } from './message.service';

@Controller()
export class MessageController {
  constructor(private readonly messages: MessageService) {}

  @Handles(ChatSubject.SendMessage)
  send(@Payload() req: SendMessageRequest): Promise<SendMessageReply> {
    return this.messages.send(req);
  }

  @Handles(ChatSubject.History)
  history(@Payload() req: HistoryRequest): Promise<HistoryReply> {
    return this.messages.history(req);
  }
}
