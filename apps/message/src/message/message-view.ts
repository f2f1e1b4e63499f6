import { MessageView } from '@app/contracts';
import { toAttachmentView } from '../attachment/attachment-view';
import { Message } from './message.schema';

export function toMessageView(message: Message): MessageView {
  return {
    id: message._id,
    roomId: message.roomId,
    seq: message.seq,
    author: { id: message.author.id, username: message.author.username },
    // A tombstone never shows a body, even one an edit racing the delete wrote back.
    body: message.deleted ? '' : message.body,
    attachments: message.deleted ? [] : (message.attachments ?? []).map(toAttachmentView),
    clientMsgId: message.clientMsgId,
    createdAt: new Date(message.createdAt).toISOString(),
    ...(message.editedAt && !message.deleted ? { editedAt: new Date(message.editedAt).toISOString() } : {}),
    ...(message.deleted ? { deleted: true } : {}),
    ...(message.mentions?.length && !message.deleted
      ? { mentions: message.mentions.map((u) => ({ id: u.id, username: u.username })) }
      : {}),
  };
}
