import { Injectable, Logger } from '@nestjs/common';
import { EventSubject, MessageView, UserView } from '@app/contracts';
import { DomainError } from '@app/errors';
import { EventBus } from '@app/nats';
import { randomUUID } from 'node:crypto';
import { isDuplicateKeyError } from '../database/mongo-errors';
import { RoomRepository } from '../room/room.repository';
import { KeyedMutex } from './keyed-mutex';
import { LastSeqCache } from './last-seq-cache';
import { toMessageView } from './message-view';
import { MessageRepository } from './message.repository';
import { Message } from './message.schema';

/** Attempts at a seq before giving up; each failed one means another instance just stored one. */
const MAX_ATTEMPTS = 30;

export interface Draft {
  roomId: string;
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
 * Assigns seqs without transactions: take the last seq + 1 and insert; the unique (roomId, seq)
 * index lets exactly one writer win each seq, and a message exists at n only if its insert
 * succeeded, so a process dying mid-way leaves no gap. Sends of one room are serialized in this
 * process; other instances are resolved by the index and a re-read of the stored maximum.
 */
@Injectable()
export class MessageWriter {
  private readonly logger = new Logger(MessageWriter.name);
  private readonly lastSeqs = new LastSeqCache();
  private readonly roomLocks = new KeyedMutex();

  constructor(
    private readonly messages: MessageRepository,
    private readonly rooms: RoomRepository,
    private readonly events: EventBus,
  ) {}

  write(draft: Draft): Promise<Written> {
    return this.roomLocks.run(draft.roomId, () => this.store(draft));
  }

  private async store(draft: Draft): Promise<Written> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const seq = (this.lastSeqs.get(draft.roomId) ?? (await this.messages.maxSeq(draft.roomId))) + 1;
      const message: Message = {
        _id: randomUUID(),
        roomId: draft.roomId,
        seq,
        author: { id: draft.author.id, username: draft.author.username },
        body: draft.body,
        clientMsgId: draft.clientMsgId,
        createdAt: new Date(),
      };
      try {
        await this.messages.insert(message);
      } catch (err) {
        this.lastSeqs.forget(draft.roomId);
        if (!isDuplicateKeyError(err)) throw err;
        // Which unique index refused it? FerretDB does not say, so look for our own earlier copy.
        const stored = await this.messages.findByClientMsgId(draft.author.id, draft.clientMsgId);
        if (stored) return { message: stored, created: false };
        if (attempt > 3) await pause(attempt);
        continue;
      }
      this.lastSeqs.set(draft.roomId, seq);
      await this.announce(message);
      return { message, created: true };
    }
    this.logger.warn({ msg: 'no free seq after retries', roomId: draft.roomId, attempts: MAX_ATTEMPTS });
    throw DomainError.unavailable('The room is too busy, try again');
  }

  /** The message is stored whatever happens here: a failed lastSeq raise must not fail the send. */
  private async announce(message: Message): Promise<void> {
    try {
      await this.rooms.raiseLastSeq(message.roomId, message.seq);
    } catch (err) {
      this.logger.warn({ msg: 'could not raise lastSeq', roomId: message.roomId, seq: message.seq, err });
    }
    const view: MessageView = toMessageView(message);
    this.events.publish(EventSubject.room(message.roomId), { type: 'message.new', message: view });
  }
}

/** A little jitter, so two instances chasing the same seq fall out of step. */
function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
}
