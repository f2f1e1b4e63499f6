import { Controller, Inject, Logger } from '@nestjs/common';
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
  SendMessagesReply,
  SendMessagesRequest,
  SendOutcome,
} from '@app/contracts';
import { errorBodyOf, parsePayload } from '@app/errors';
import { Outcome } from '@app/metrics';
import { Handles, NATS_SERVER, RequestServer } from '@app/nats';
import { MessageChangeService } from './message-change.service';
import { MessageService } from './message.service';
import { RoomWriters } from './room-writers.service';
import { messageErrors } from '../message.errors';

@Controller()
export class MessageController {
  private readonly logger = new Logger(MessageController.name);

  constructor(
    private readonly messages: MessageService,
    private readonly changes: MessageChangeService,
    private readonly writers: RoomWriters,
    @Inject(NATS_SERVER) private readonly server: RequestServer,
  ) {}

  /** Written by the room's writer (RoomWriters): a send for another's room is handed to it. */
  @Handles(ChatSubject.SendMessage, { direct: true })
  send(@Payload() req: SendMessageRequest, @Ctx() ctx: NatsContext): Promise<SendMessageReply> {
    const here = () => this.messages.send(req);
    // Handed over by another instance: this one writes it, whatever it thinks of the room.
    if (isDirectSubject(ctx.getSubject())) return here();
    return this.route(req, here);
  }

  /**
   * A gateway's sends of one moment, each validated and served as a send of its own, as part of the
   * request it carries the id of: one refused (or invalid) send fails no other. Answered once all are.
   */
  @Handles(ChatSubject.SendMessages)
  async sendMany(@Payload() req: SendMessagesRequest): Promise<SendMessagesReply> {
    // Each traced and logged as the send it is (its own request id, its span under its trace).
    const results = await Promise.all(
      req.sends.map((item: unknown) =>
        this.server.serveItem(ChatSubject.SendMessage, isObject(item) ? item : {}, () => this.sendOne(item), outcomeOf),
      ),
    );
    return { results };
  }

  private async sendOne(item: unknown): Promise<SendOutcome> {
    try {
      const req = await parsePayload(SendMessageRequest, isObject(item) ? item.send : undefined);
      return await this.route(req, () => this.messages.send(req));
    } catch (err) {
      return { error: errorBodyOf(err, messageErrors, this.logger, ChatSubject.SendMessages) };
    }
  }

  /** Written here, or handed to the room's writer (RoomWriters) when that is another instance. */
  private route(req: SendMessageRequest, here: () => Promise<SendMessageReply>): Promise<SendMessageReply> {
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function outcomeOf(outcome: SendOutcome): Outcome {
  return 'error' in outcome ? outcome.error.code : 'ok';
}
