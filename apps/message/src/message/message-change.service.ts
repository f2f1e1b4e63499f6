import { RateLimitService } from '../common/rate-limit.service';
import { Injectable } from '@nestjs/common';
import {
  DeleteMessageReply,
  DeleteMessageRequest,
  EditMessageReply,
  EditMessageRequest,
  EventSubject,
  UserView,
} from '@app/contracts';
import { DomainError } from '@app/errors';
import { EventBus } from '@app/nats';
import { RoomAccess, RoomAccessService } from '../membership/room-access.service';
import { MentionService } from '../mention/mention.service';
import { parseMessageId } from './message-id';
import { toMessageView } from './message-view';
import { MessageRepository } from './message.repository';
import { Message } from './message.schema';

/**
 * Edits and deletes of stored messages. A message exists once its send was acked (the writer
 * inserts before it acks), so these never race the group commit: they find it by `_id` or it is
 * NOT_FOUND. Events go out after the write, on the room subject, outside the seq order.
 */
@Injectable()
export class MessageChangeService {
  constructor(
    private readonly access: RoomAccessService,
    private readonly messages: MessageRepository,
    private readonly events: EventBus,
    private readonly limits: RateLimitService,
    private readonly mentions: MentionService,
  ) {}

  /** Author only. A tombstone cannot be edited (NOT_FOUND: it no longer has a body to change). */
  async edit({ actor, messageId, body }: EditMessageRequest): Promise<EditMessageReply> {
    await this.limits.consume(actor, 'edit');
    const { room, message } = await this.target(actor, messageId);
    if (message.deleted) throw DomainError.notFound('Message not found');
    if (message.author.id !== actor.id) throw DomainError.forbidden('Only the author can edit a message');
    const editedAt = new Date();
    const mentions = await this.mentions.resolve(room, body);
    // Last writer wins between concurrent edits; a delete that got in first wins over the edit.
    if (!(await this.messages.edit(message._id, body, editedAt, mentions))) {
      throw DomainError.notFound('Message not found');
    }
    const view = toMessageView({ ...message, body, editedAt, mentions });
    this.events.publish(EventSubject.room(message.roomId), { type: 'message.updated', message: view });
    // Only those the edit newly mentions are counted and told; the others were at the send.
    const before = new Set((message.mentions ?? []).map((u) => u.id));
    const added = mentions.filter((u) => !before.has(u.id));
    if (added.length > 0) await this.mentions.notify(view, added);
    return { message: view };
  }

  /** Author or the room's owner. Leaves a tombstone (seq kept); deleting again changes nothing. */
  async delete({ actor, messageId }: DeleteMessageRequest): Promise<DeleteMessageReply> {
    const { membership, message } = await this.target(actor, messageId);
    if (message.author.id !== actor.id && membership?.role !== 'owner') {
      throw DomainError.forbidden('Only the author or the room owner can delete a message');
    }
    if (message.deleted) return {};
    await this.messages.tombstone(message._id, new Date());
    this.events.publish(EventSubject.room(message.roomId), {
      type: 'message.deleted',
      id: message._id,
      roomId: message.roomId,
      seq: message.seq,
    });
    return {};
  }

  /** The message, once the actor may read its room (unknown room NOT_FOUND, private FORBIDDEN). */
  private async target(actor: UserView, messageId: string): Promise<RoomAccess & { message: Message }> {
    const ref = parseMessageId(messageId);
    if (!ref) throw DomainError.notFound('Message not found');
    const access = await this.access.readable(actor, ref.roomId);
    const message = await this.messages.findAt(access.room._id, ref.seq);
    if (!message) throw DomainError.notFound('Message not found');
    return { ...access, message };
  }
}
