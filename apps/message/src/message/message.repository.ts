import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';
import { UserView } from '@app/contracts';
import { CommandCombiner, IdLookups, isDuplicateKey } from '@app/mongo';
import { orderedInsert, unorderedInsert } from './combined-inserts';
import { SeqRange, seqsOf } from './history-page';
import { probeLastSeq } from './last-seq-probe';
import { messageIdOf, parseMessageId, sendKeyOf } from './message-id';
import { Message } from './message.schema';
import { RecentMessages } from './recent-messages.service';
import { SendKey } from './send-key.schema';

/** Documents one combined insert carries at most (a room's batch is at most 64). */
const COMBINED_INSERT_MAX = 512;

/**
 * Every lookup here is by `_id` or `_id $in`: FerretDB scans for anything else. The send path's two
 * writes (send keys, then messages) are combined across rooms: one command each per flush. Ranges
 * of recent seqs are served from RecentMessages when held; inserts and range reads fill it, edits
 * and deletes revise it.
 */
@Injectable()
export class MessageRepository {
  private readonly messageInserts: CommandCombiner<Message, void>;
  private readonly keyClaims: CommandCombiner<SendKey, Set<number>>;
  /** `_id` lookups combined: whole messages, and existence only (the last-seq probe). */
  private readonly byId: IdLookups<Message>;
  private readonly existing: IdLookups<Pick<Message, '_id'>>;

  constructor(
    @InjectModel(Message.name) private readonly model: Model<Message>,
    @InjectModel(SendKey.name) private readonly sendKeys: Model<SendKey>,
    private readonly recent: RecentMessages,
  ) {
    this.messageInserts = new CommandCombiner(
      orderedInsert(async (docs) => {
        await this.model.insertMany(docs, { ordered: true, lean: true });
      }),
      COMBINED_INSERT_MAX,
    );
    this.keyClaims = new CommandCombiner(
      unorderedInsert(async (docs) => {
        await this.sendKeys.insertMany(docs, { ordered: false, lean: true });
      }, refusedPositions),
      COMBINED_INSERT_MAX,
    );
    this.byId = new IdLookups((ids) =>
      this.model
        .find({ _id: { $in: ids } })
        .lean<Message[]>()
        .exec(),
    );
    this.existing = new IdLookups((ids) =>
      this.model
        .find({ _id: { $in: ids } }, { _id: 1 })
        .lean<Pick<Message, '_id'>[]>()
        .exec(),
    );
  }

  findAt(roomId: string, seq: number): Promise<Message | null> {
    return this.findById(messageIdOf(roomId, seq));
  }

  findById(id: string): Promise<Message | null> {
    return this.byId.find(id);
  }

  /**
   * The messages of a range of seqs, ascending (all exist: seqs are gapless): held ones from
   * memory, else one `_id $in` query.
   */
  async findRange(roomId: string, range: SeqRange): Promise<Message[]> {
    const held = this.recent.range(roomId, range);
    if (held) return held;
    const ids = seqsOf(range).map((seq) => messageIdOf(roomId, seq));
    const generation = this.recent.generation();
    const found = await this.model
      .find({ _id: { $in: ids } })
      .lean<Message[]>()
      .exec();
    found.sort((a, b) => a.seq - b.seq);
    if (found.length === ids.length) this.recent.keep(roomId, found, generation);
    return found;
  }

  /**
   * Sets a new body unless the message is a tombstone; false when nothing matched. FerretDB
   * applies it as read-modify-write: concurrent edits are last-writer-wins.
   */
  async edit(id: string, body: string, editedAt: Date, mentions: UserView[]): Promise<boolean> {
    const change =
      mentions.length > 0
        ? { $set: { body, editedAt, mentions } }
        : { $set: { body, editedAt }, $unset: { mentions: '' } };
    const res = await this.model.updateOne({ _id: id, deleted: { $ne: true } }, change).exec();
    this.revised(id);
    return res.matchedCount > 0;
  }

  /** Empties the message and marks it deleted; its `_id` and seq stay (seqs remain gapless). */
  async tombstone(id: string, deletedAt: Date): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { deleted: true, body: '', deletedAt } }).exec();
    this.revised(id);
  }

  /** Copies held of the message's room are stale now, here and on every instance. */
  private revised(id: string): void {
    const ref = parseMessageId(id);
    if (ref) this.recent.revised(ref.roomId, ref.seq);
  }

  /** The room's highest seq, from a hint known to exist (the room's advisory lastSeq). */
  lastSeq(roomId: string, hint: number): Promise<number> {
    return probeLastSeq(hint, async (seq) => (await this.existing.find(messageIdOf(roomId, seq))) !== null);
  }

  /** The message a user sent with this clientMsgId, in any room, by its send key (null: none stored). */
  async findSent(authorId: string, clientMsgId: string): Promise<Message | null> {
    const key = await this.findSendKey(sendKeyOf(authorId, clientMsgId));
    return key && this.storedFor(key, authorId, clientMsgId);
  }

  /** The message of a claimed send, at one of the ids its key lists; null when none is stored. */
  async storedFor(key: SendKey, authorId: string, clientMsgId: string): Promise<Message | null> {
    const ids = key.tried?.length ? key.tried : [key.messageId];
    const found = await this.model
      .find({ _id: { $in: ids } })
      .lean<Message[]>()
      .exec();
    return found.find((m) => m.author.id === authorId && m.clientMsgId === clientMsgId) ?? null;
  }

  findSendKey(key: string): Promise<SendKey | null> {
    return this.sendKeys.findById(key).lean<SendKey>().exec();
  }

  /**
   * Claims the send keys (`keys[i]` that of `messages[i]`) of messages about to be written, in one
   * unordered insert (shared with other rooms' claims meanwhile); per message, whether `owner` now
   * holds it (false: that send was claimed first).
   */
  async claimSendKeys(messages: Message[], keys: string[], owner: string): Promise<boolean[]> {
    const at = new Date();
    const docs = messages.map((m, i) => ({ _id: keys[i], messageId: m._id, tried: [m._id], owner, at }));
    const refused = await this.keyClaims.submit(docs);
    return docs.map((_, i) => !refused.has(i));
  }

  /** Points an owned claim at the id its message will be tried at next; false when no longer owned. */
  async moveSendKey(message: Message, key: string, owner: string): Promise<boolean> {
    const res = await this.sendKeys
      .updateOne(
        { _id: key, owner },
        { $set: { messageId: message._id, at: new Date() }, $addToSet: { tried: message._id } },
      )
      .exec();
    return res.matchedCount > 0;
  }

  /** Takes over a claim left by a dead writer (still as it was read); false when someone changed it first. */
  async takeOverSendKey(stale: SendKey, owner: string): Promise<boolean> {
    const res = await this.sendKeys
      .updateOne(
        { _id: stale._id, messageId: stale.messageId, owner: stale.owner ?? null },
        { $set: { owner, at: new Date() } },
      )
      .exec();
    return res.matchedCount > 0;
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
   * alike, and none after it is tried. Which ones made it is for the caller to look up. Other
   * rooms' inserts meanwhile go in the same command (combined-inserts.ts keeps these semantics).
   */
  async insertMany(messages: Message[]): Promise<void> {
    const generation = this.recent.generation();
    await this.messageInserts.submit(messages);
    this.recent.keep(messages[0].roomId, messages, generation);
  }
}

/** Positions an unordered insertMany refused as duplicates; null when anything else failed. */
function refusedPositions(err: unknown, size: number): Set<number> | null {
  if (!isDuplicateKey(err) && !(err instanceof mongo.MongoBulkWriteError)) return null;
  const errors = [(err as { writeErrors?: unknown }).writeErrors].flat() as { index?: number; code?: number }[];
  if (errors.length === 0 || errors.some((e) => e?.code !== 11000 || !Number.isInteger(e.index))) return null;
  const refused = new Set(errors.map((e) => e.index as number));
  return [...refused].every((i) => i >= 0 && i < size) ? refused : null;
}
