import { MessageView } from '@app/contracts';
import { Message } from './message.schema';

export function toMessageView(message: Message): MessageView {
  return {
    id: message._id,
    roomId: message.roomId,
    seq: message.seq,
    author: { id: message.author.id, username: message.author.username },
    body: message.body,
    attachments: [],
    clientMsgId: message.clientMsgId,
    createdAt: new Date(message.createdAt).toISOString(),
  };
}
