import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKey } from '@app/mongo';
import { SeqRange, seqsOf } from './history-page';
import { probeLastSeq } from './last-seq-probe';
import { messageIdOf, sendKeyOf } from './message-id';
import { Message } from './message.schema';
import { SendKey } from './send-key.schema';

/** Every lookup here is by `_id` (FerretDB scans for anything else), except `scanSent`. */
@Injectable()
export class MessageRepository {
  constructor(
    @InjectModel(Message.name) private readonly model: Model<Message>,
    @InjectModel(SendKey.name) private readonly sendKeys: Model<SendKey>,
  ) {}

  findAt(roomId: string, seq: number): Promise<Message | null> {
    return this.model.findById(messageIdOf(roomId, seq)).lean<Message>().exec();
  }

  /** The messages of a range of seqs, ascending (all exist: seqs are gapless). */
  async findRange(roomId: string, range: SeqRange): Promise<Message[]> {
    const found = await Promise.all(seqsOf(range).map((seq) => this.findAt(roomId, seq)));
    return found.filter((m): m is Message => m !== null);
  }

  /** The room's highest seq, from a hint known to exist (the room's advisory lastSeq). */
  lastSeq(roomId: string, hint: number): Promise<number> {
    return probeLastSeq(hint, async (seq) => (await this.model.exists({ _id: messageIdOf(roomId, seq) })) !== null);
  }

  /** The message a user sent with this clientMsgId, in any room, by its send key. */
  async findSent(authorId: string, clientMsgId: string): Promise<Message | null> {
    const key = await this.sendKeys.findById(sendKeyOf(authorId, clientMsgId)).lean<SendKey>().exec();
    return key ? this.model.findById(key.messageId).lean<Message>().exec() : null;
  }

  /** Same, by a full scan: for when the send key was never written (a writer died first). */
  scanSent(authorId: string, clientMsgId: string): Promise<Message | null> {
    return this.model.findOne({ 'author.id': authorId, clientMsgId }).lean<Message>().exec();
  }

  /** Throws a duplicate-key error (11000) when the seq or the author's clientMsgId is taken. */
  async insert(message: Message): Promise<void> {
    await this.model.create(message);
  }

  /** Records the send key of a stored message; already recorded is fine. */
  async recordSent(message: Message): Promise<void> {
    try {
      await this.sendKeys.create({ _id: sendKeyOf(message.author.id, message.clientMsgId), messageId: message._id });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
}
