import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { Page, PageRequest, pageOf, planPage } from './history-page';
import { Message } from './message.schema';

@Injectable()
export class MessageRepository {
  constructor(@InjectModel(Message.name) private readonly model: Model<Message>) {}

  findByClientMsgId(authorId: string, clientMsgId: string): Promise<Message | null> {
    return this.model.findOne({ 'author.id': authorId, clientMsgId }).lean<Message>().exec();
  }

  /** Throws a duplicate-key error (11000) when the seq or the author's clientMsgId is taken. */
  async insert(message: Message): Promise<void> {
    await this.model.create(message);
  }

  /** Highest stored seq of the room, 0 when it has no message. */
  async maxSeq(roomId: string): Promise<number> {
    const last = await this.model.findOne({ roomId }, { seq: 1 }).sort({ seq: -1 }).lean<Pick<Message, 'seq'>>().exec();
    return last?.seq ?? 0;
  }

  /** One page of the room's messages, ascending by seq (see planPage for the cursors). */
  async page(roomId: string, req: PageRequest): Promise<Page<Message>> {
    const query = planPage(req);
    const seq =
      query.after !== undefined ? { $gt: query.after } : query.before !== undefined ? { $lt: query.before } : undefined;
    const fetched = await this.model
      .find(seq ? { roomId, seq } : { roomId })
      .sort({ seq: query.order === 'asc' ? 1 : -1 })
      .limit(query.fetch)
      .lean<Message[]>()
      .exec();
    return pageOf(fetched, query);
  }
}
