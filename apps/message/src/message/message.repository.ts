import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKey } from '@app/mongo';
import { SeqRange, seqsOf } from './history-page';
import { probeLastSeq } from './last-seq-probe';
import { messageIdOf, sendKeyOf } from './message-id';
import { Message } from './message.schema';
import { SendKey } from './send-key.schema';

/** Every lookup here is by `_id` or `_id $in` (FerretDB scans for anything else), except `scanSent`. */
@Injectable()
export class MessageRepository {
  constructor(
    @InjectModel(Message.name) private readonly model: Model<Message>,
    @InjectModel(SendKey.name) private readonly sendKeys: Model<SendKey>,
  ) {}

  findAt(roomId: string, seq: number): Promise<Message | null> {
    return this.model.findById(messageIdOf(roomId, seq)).lean<Message>().exec();
  }

  /** The messages of a range of seqs, ascending (all exist: seqs are gapless): one `_id $in` query. */
  async findRange(roomId: string, range: SeqRange): Promise<Message[]> {
    const ids = seqsOf(range).map((seq) => messageIdOf(roomId, seq));
    if (ids.length === 0) return [];
    const found = await this.model
      .find({ _id: { $in: ids } })
      .lean<Message[]>()
      .exec();
    return found.sort((a, b) => a.seq - b.seq);
  }

  /**
   * Sets a new body unless the message is a tombstone; false when nothing matched. FerretDB
   * applies it as read-modify-write: concurrent edits are last-writer-wins.
   */
  async edit(id: string, body: string, editedAt: Date): Promise<boolean> {
    const res = await this.model.updateOne({ _id: id, deleted: { $ne: true } }, { $set: { body, editedAt } }).exec();
    return res.matchedCount > 0;
  }

  /** Empties the message and marks it deleted; its `_id` and seq stay (seqs remain gapless). */
  async tombstone(id: string, deletedAt: Date): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { deleted: true, body: '', deletedAt } }).exec();
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

  /** What each seq holds now (null where nothing), in one `_id $in` query. */
  async findAtEach(roomId: string, seqs: number[]): Promise<(Message | null)[]> {
    const found = await this.model
      .find({ _id: { $in: seqs.map((seq) => messageIdOf(roomId, seq)) } })
      .lean<Message[]>()
      .exec();
    const bySeq = new Map(found.map((m) => [m.seq, m]));
    return seqs.map((seq) => bySeq.get(seq) ?? null);
  }

  /**
   * Inserts in order and stops at the first refusal (a duplicate key, 11000, when a seq or an
   * author's clientMsgId is taken); the documents before it stay stored, on mongod and FerretDB
   * alike, and none after it is tried. Which ones made it is for the caller to look up.
   */
  async insertMany(messages: Message[]): Promise<void> {
    await this.model.insertMany(messages, { ordered: true, lean: true });
  }

  /** Records the send keys of stored messages in one write; already recorded is fine. */
  async recordSentMany(messages: Message[]): Promise<void> {
    try {
      await this.sendKeys.insertMany(messages.map(sendKeyDocOf), { ordered: false, lean: true });
    } catch {
      // Some recorded already, or a failure: one at a time tells them apart.
      await Promise.all(messages.map((m) => this.recordSent(m)));
    }
  }

  /** Records the send key of a stored message; already recorded is fine. */
  async recordSent(message: Message): Promise<void> {
    try {
      await this.sendKeys.create(sendKeyDocOf(message));
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
}

function sendKeyDocOf(message: Message): SendKey {
  return { _id: sendKeyOf(message.author.id, message.clientMsgId), messageId: message._id };
}
