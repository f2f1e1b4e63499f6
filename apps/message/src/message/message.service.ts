import { Injectable } from '@nestjs/common';
import { HistoryReply, HistoryRequest, SendMessageReply, SendMessageRequest } from '@app/contracts';
import { DomainError } from '@app/errors';
import { AttachmentService } from '../attachment/attachment.service';
import { RoomAccessService } from '../membership/room-access.service';
import { RoomMembersService } from '../membership/room-members.service';
import { RoomViewService } from '../room/room-view.service';
import { pageRange } from './history-page';
import { MessageWriter } from './message-writer.service';
import { toMessageView } from './message-view';
import { MessageRepository } from './message.repository';

@Injectable()
export class MessageService {
  constructor(
    private readonly access: RoomAccessService,
    private readonly members: RoomMembersService,
    private readonly messages: MessageRepository,
    private readonly writer: MessageWriter,
    private readonly views: RoomViewService,
    private readonly attachments: AttachmentService,
  ) {}

  /**
   * Stores a message and fans it out. A retry (same author and clientMsgId, in any room) returns
   * the message first stored and never takes a new seq. Posting to a public room joins it first.
   * Attachments must be the author's completed uploads to this room (else NOT_FOUND).
   */
  async send({ actor, roomId, clientMsgId, body, attachmentIds }: SendMessageRequest): Promise<SendMessageReply> {
    // Both lookups at once; a retry wins over whatever the access check says (even in another room).
    const [prior, access] = await Promise.allSettled([
      this.messages.findSent(actor.id, clientMsgId),
      this.access.readable(actor, roomId),
    ]);
    if (prior.status === 'rejected') throw prior.reason;
    if (prior.value) return { message: toMessageView(prior.value) };
    if (access.status === 'rejected') throw access.reason;
    const { room, membership } = access.value;
    const attachments = attachmentIds?.length ? await this.attachments.attachable(actor, room._id, attachmentIds) : [];
    if (!membership) await this.members.add(room, actor, 'member');
    const { message } = await this.writer.write(room, {
      author: { id: actor.id, username: actor.username },
      clientMsgId,
      body: body ?? '',
      attachments,
    });
    return { message: toMessageView(message) };
  }

  async history({ actor, roomId, before, after, limit }: HistoryRequest): Promise<HistoryReply> {
    if (before !== undefined && after !== undefined) {
      throw DomainError.validation('before and after cannot be combined');
    }
    const { room } = await this.access.readable(actor, roomId);
    const lastSeq = await this.views.lastSeq(room);
    const range = pageRange({ before, after, limit }, lastSeq);
    const messages = await this.messages.findRange(room._id, range);
    return { messages: messages.map(toMessageView), hasMore: range.hasMore };
  }
}
