import { RateLimitService } from '../common/rate-limit.service';
import { Injectable } from '@nestjs/common';
import { HistoryReply, HistoryRequest, SendMessageReply, SendMessageRequest } from '@app/contracts';
import { DomainError } from '@app/errors';
import { AttachmentService } from '../attachment/attachment.service';
import { AttachedFile } from '../attachment/attachment-view';
import { RoomAccess, RoomAccessService } from '../membership/room-access.service';
import { MentionService } from '../mention/mention.service';
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
    private readonly limits: RateLimitService,
    private readonly mentions: MentionService,
  ) {}

  /**
   * Stores a message and fans it out. A retry (same author and clientMsgId, in any room) returns
   * the message first stored and never takes a new seq: the writer's claim of the send key finds it
   * (no lookup before an ordinary send), and a retry that the room or its attachments would now
   * refuse (another room, a room left since) is looked up by its key before the refusal is answered.
   * Posting to a public room joins it first. Attachments must be the author's completed uploads to
   * this room (else NOT_FOUND).
   */
  async send({ actor, roomId, clientMsgId, body, attachmentIds }: SendMessageRequest): Promise<SendMessageReply> {
    await this.limits.consume(actor, 'send');
    let access: RoomAccess;
    let attachments: AttachedFile[] = [];
    try {
      access = await this.access.readable(actor, roomId);
      if (attachmentIds?.length) attachments = await this.attachments.attachable(actor, access.room._id, attachmentIds);
    } catch (err) {
      return this.storedOr(actor.id, clientMsgId, err);
    }
    const { room, membership } = access;
    if (!membership) {
      // Joining is a side effect a retry must not have: look for the stored send first.
      const prior = await this.messages.findSent(actor.id, clientMsgId);
      if (prior) return { message: toMessageView(prior) };
      await this.members.add(room, actor, 'member');
    }
    const mentions = await this.mentions.resolve(room, body ?? '');
    const { message, created } = await this.writer.write(room, {
      author: { id: actor.id, username: actor.username },
      clientMsgId,
      body: body ?? '',
      attachments,
      mentions,
    });
    const view = toMessageView(message);
    // A retry answered from the store was counted and notified by the send that stored it.
    if (created && mentions.length > 0) await this.mentions.notify(view, mentions);
    return { message: view };
  }

  /** The stored message of this send, or the refusal the send got. */
  private async storedOr(authorId: string, clientMsgId: string, refusal: unknown): Promise<SendMessageReply> {
    const prior = await this.messages.findSent(authorId, clientMsgId);
    if (prior) return { message: toMessageView(prior) };
    throw refusal;
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
