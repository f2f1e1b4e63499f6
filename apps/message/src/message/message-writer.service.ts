import { Injectable, Logger } from '@nestjs/common';
import { EventSubject, UserView } from '@app/contracts';
import { DomainError } from '@app/errors';
import { EventBus } from '@app/nats';
import { isDuplicateKey } from '@app/mongo';
import { Room } from '../room/room.schema';
import { LruMap } from '../common/lru-map';
import { LastSeqHintService } from '../room/last-seq-hint.service';
import { KeyedMutex } from './keyed-mutex';
import { messageIdOf } from './message-id';
import { toMessageView } from './message-view';
import { MessageRepository } from './message.repository';
import { Message } from './message.schema';

/** How long a send may chase a free seq; past it the caller's request has timed out anyway. */
const SEQ_BUDGET_MS = 4000;

export interface Draft {
  author: UserView;
  clientMsgId: string;
  body: string;
}

export interface Written {
  message: Message;
  /** False when the (author, clientMsgId) was already stored: an idempotent retry. */
  created: boolean;
}

/**
 * Assigns seqs without transactions: take the last seq + 1 and insert. The message's `_id` is
 * (room, seq), so exactly one insert wins each seq, and a message exists at n only if its insert
 * succeeded: a process dying mid-way leaves no gap. Inserts of one room are serialized in this
 * process (with two in flight, n+1 could win while n fails for good); other instances are
 * resolved by the unique index, trying the next seq at once so that both race fairly for it.
 */
@Injectable()
export class MessageWriter {
  private readonly logger = new Logger(MessageWriter.name);
  /** Last seq this process stored per room: a send needs no read to pick its seq. */
  private readonly lastSeqs = new LruMap<number>(10_000);
  private readonly roomLocks = new KeyedMutex();

  constructor(
    private readonly messages: MessageRepository,
    private readonly hints: LastSeqHintService,
    private readonly events: EventBus,
  ) {}

  async write(room: Room, draft: Draft): Promise<Written> {
    const written = await this.roomLocks.run(room._id, () => this.store(room, draft));
    if (written.created) {
      this.hints.raise(room._id, written.message.seq);
      // Before the ack (a retry then finds it by key), outside the lock (the next insert need not wait).
      await this.messages.recordSent(written.message);
    }
    return written;
  }

  private async store(room: Room, draft: Draft): Promise<Written> {
    const roomId = room._id;
    const deadline = Date.now() + SEQ_BUDGET_MS;
    // `known` is always a seq that exists (or 0): all below it exist too, so known + 1 is never
    // past the end, and a successful insert never leaves a gap.
    let known =
      this.lastSeqs.get(roomId) ?? (await this.messages.lastSeq(roomId, this.hints.best(roomId, room.lastSeq)));
    for (let attempt = 1; Date.now() < deadline || attempt <= 3; attempt++) {
      const seq = known + 1;
      const message: Message = {
        _id: messageIdOf(roomId, seq),
        roomId,
        seq,
        author: { id: draft.author.id, username: draft.author.username },
        body: draft.body,
        clientMsgId: draft.clientMsgId,
        createdAt: new Date(),
      };
      try {
        await this.messages.insert(message);
      } catch (err) {
        this.lastSeqs.delete(roomId);
        if (!isDuplicateKey(err)) throw err;
        const conflict = await this.afterConflict(message);
        if (conflict === 'taken') known = seq;
        else if (conflict !== 'unclear') return { message: conflict, created: false };
        continue;
      }
      this.lastSeqs.set(roomId, seq);
      if (attempt > 1) this.logger.debug({ msg: 'seq contended', roomId, seq, attempts: attempt });
      // Published under the lock: this instance announces a room's messages in seq order.
      this.events.publish(EventSubject.room(roomId), { type: 'message.new', message: toMessageView(message) });
      return { message, created: true };
    }
    this.logger.warn({ msg: 'no free seq in time', roomId, budgetMs: SEQ_BUDGET_MS });
    throw DomainError.unavailable('The room is too busy, try again');
  }

  /**
   * Which unique index refused the insert? FerretDB does not say. If the seq holds this very
   * send (a concurrent retry), or the seq is free (so the clientMsgId index refused it), the
   * send is already stored: that message. If another send holds the seq: 'taken'. 'unclear'
   * should not happen (nothing is ever deleted); the caller then retries the same seq.
   */
  private async afterConflict(attempt: Message): Promise<Message | 'taken' | 'unclear'> {
    const holder = await this.messages.findAt(attempt.roomId, attempt.seq);
    if (holder) {
      const same = holder.author.id === attempt.author.id && holder.clientMsgId === attempt.clientMsgId;
      return same ? holder : 'taken';
    }
    const stored =
      (await this.messages.findSent(attempt.author.id, attempt.clientMsgId)) ??
      (await this.messages.scanSent(attempt.author.id, attempt.clientMsgId));
    if (!stored) return 'unclear';
    await this.messages.recordSent(stored); // its writer died before recording it
    return stored;
  }
}
