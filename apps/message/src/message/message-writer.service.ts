import { Injectable, Logger } from '@nestjs/common';
import { EventSubject, UserView } from '@app/contracts';
import { DomainError } from '@app/errors';
import { EventBus, Origin, currentOrigin } from '@app/nats';
import { isDuplicateKey } from '@app/mongo';
import { AttachedFile } from '../attachment/attachment-view';
import { Room } from '../room/room.schema';
import { entryBoundedCache } from '../common/entry-bounded-cache';
import { LastSeqHintService } from '../room/last-seq-hint.service';
import { RoomStatsService } from '../room/room-stats.service';
import { reportedRefusal, sortOutBatch, stateOf } from './batch-outcome';
import { GroupCommitLimits, GroupCommitQueue, Ticket } from './group-commit-queue';
import { messageIdOf, sendKeyOf } from './message-id';
import { toMessageView } from './message-view';
import { MessageRepository } from './message.repository';
import { Message } from './message.schema';
import { SendKey } from './send-key.schema';
import { WriterLiveness } from './writer-liveness.service';

/** How long a send may chase a free seq; past it the caller's request has timed out anyway. */
const SEQ_BUDGET_MS = 4000;
/**
 * A send claimed this long ago whose message is not where its key points was left by a writer
 * that died (a live one stores or gives up within SEQ_BUDGET_MS): another writer may take it over.
 */
export const CLAIM_LEASE_MS = 15_000;
/** How long a retry waits for another writer's claim of the same send to come true before UNAVAILABLE. */
const CLAIMED_WAIT_MS = 2000;
/** Attempts a send gets whatever the budget (it may have spent it waiting in line). */
const MIN_ATTEMPTS = 3;

/** One insertMany of 64 costs FerretDB about what one insertOne does; the lines bound memory. */
export const GROUP_COMMIT: GroupCommitLimits = { maxBatch: 64, maxQueuedPerKey: 1024, maxQueued: 10_000 };

export interface Draft {
  author: UserView;
  clientMsgId: string;
  body: string;
  attachments?: AttachedFile[];
  mentions?: UserView[];
}

export interface Written {
  message: Message;
  /** False when the (author, clientMsgId) was already stored: an idempotent retry. */
  created: boolean;
}

interface Send {
  room: Room;
  draft: Draft;
  /** sendKeyOf(author, clientMsgId), computed once. */
  key: string;
  deadline: number;
  attempts: number;
  /** The message id its send key points to, once this writer owns the key. */
  claimed?: string;
  /** The request that sent it: its event carries that request's id, whichever request's batch stores it. */
  origin: Origin;
}

type SendTicket = Ticket<Send, Written>;

interface Settled {
  ticket: SendTicket;
  written: Written;
}

const tooBusy = () => DomainError.unavailable('The room is too busy, try again');

/**
 * Assigns seqs without transactions, by group commit per room: while a room's insert is in
 * flight its next sends wait; then they all go in one ordered insertMany with the seqs known+1,
 * known+2, … The message's `_id` is (room, seq), so exactly one insert wins each seq, and an
 * ordered insert stops at its first refusal (mongod and FerretDB alike): a message exists at n
 * only if n-1 does, and a process dying mid-way leaves no gap. After any failure each seq of the
 * batch is looked up; what is stored is acked, the rest retried from the new last seq.
 */
@Injectable()
export class MessageWriter {
  private readonly logger = new Logger(MessageWriter.name);
  /** Last seq this process stored per room: a batch needs no read to pick its seqs. */
  private readonly lastSeqs = entryBoundedCache<string, number>(10_000);
  /** This process in the send keys it claims (`owner`). */
  private readonly owner: string;
  /** Sends being written, by send key: an identical retry meanwhile gets the same message. */
  private readonly writing = new Map<string, Promise<Written>>();
  private readonly queue = new GroupCommitQueue<Send, Written>(GROUP_COMMIT, (roomId, batch) =>
    this.commit(roomId, batch),
  );

  constructor(
    private readonly messages: MessageRepository,
    private readonly hints: LastSeqHintService,
    private readonly stats: RoomStatsService,
    private readonly events: EventBus,
    private readonly liveness: WriterLiveness,
  ) {
    this.owner = liveness.owner;
  }

  async write(room: Room, draft: Draft): Promise<Written> {
    const key = sendKeyOf(draft.author.id, draft.clientMsgId);
    const same = this.writing.get(key);
    if (same) return { message: (await same).message, created: false };
    const written = this.queue.submit(room._id, {
      room,
      draft,
      key,
      deadline: Date.now() + SEQ_BUDGET_MS,
      attempts: 0,
      origin: currentOrigin(),
    });
    if (!written) {
      this.logger.warn({ msg: 'send queue full', roomId: room._id, queued: this.queue.size });
      throw tooBusy();
    }
    this.writing.set(key, written);
    const forget = () => {
      if (this.writing.get(key) === written) this.writing.delete(key);
    };
    written.then(forget, forget);
    return written;
  }

  /** Stores a batch of one room, retrying what another writer got in the way of. Settles every ticket. */
  private async commit(roomId: string, batch: SendTicket[]): Promise<void> {
    let open = batch;
    try {
      const hint = Math.max(...batch.map((t) => t.item.room.lastSeq));
      // `known` is always a seq that exists (or 0): all below it exist too.
      const held = Math.max(this.lastSeqs.get(roomId) ?? 0, this.stats.heldLastSeq(roomId) ?? 0);
      let known = held > 0 ? held : await this.messages.lastSeq(roomId, hint);
      for (let round = 1; ; round++) {
        open = this.dropExpired(roomId, open);
        if (open.length === 0) return;
        const docs = open.map((t, i) => messageOf(roomId, known + 1 + i, t.item.draft));
        const claimed = await this.claim(roomId, open, docs);
        if (claimed.length !== open.length) {
          open = claimed; // some were settled elsewhere: plan the rest again
          continue;
        }
        for (const t of open) t.item.attempts++;
        try {
          await this.messages.insertMany(docs);
        } catch (err) {
          this.lastSeqs.delete(roomId);
          const next = await this.afterFailure(roomId, open, docs, err);
          open = next.open;
          known = next.known;
          continue;
        }
        this.lastSeqs.set(roomId, known + docs.length);
        if (round > 1) this.logger.debug({ msg: 'seq contended', roomId, seq: known + 1, rounds: round });
        this.acknowledge(
          roomId,
          open.map((ticket, i) => ({ ticket, written: { message: docs[i], created: true } })),
        );
        return;
      }
    } catch (err) {
      for (const ticket of open) ticket.reject(err);
    }
  }

  /**
   * Finds out which documents of the failed batch are stored, acks them, and returns the sends
   * left to retry. A failure other than a duplicate key (the database) fails those instead.
   */
  private async afterFailure(
    roomId: string,
    open: SendTicket[],
    docs: Message[],
    err: unknown,
  ): Promise<{ open: SendTicket[]; known: number }> {
    const holders = await this.holdersAfter(roomId, docs, err);
    const outcome = sortOutBatch(docs, holders);
    const settled: Settled[] = [];
    let rest: SendTicket[] = [];
    outcome.states.forEach((state, i) => {
      const holder = holders[i];
      if (state === 'mine' && holder) settled.push({ ticket: open[i], written: { message: docs[i], created: true } });
      else if (state === 'same' && holder)
        settled.push({ ticket: open[i], written: { message: holder, created: false } });
      else rest.push(open[i]);
    });
    this.acknowledge(roomId, settled);
    if (!isDuplicateKey(err)) {
      for (const ticket of rest) ticket.reject(err);
      return { open: [], known: outcome.known };
    }
    try {
      if (outcome.firstFree !== undefined) {
        // Its seq is free, so its (author, clientMsgId) index refused it: stored before, elsewhere?
        const refused = open[outcome.firstFree];
        const stored = await this.storedElsewhere(docs[outcome.firstFree]);
        if (stored) {
          rest = rest.filter((t) => t !== refused);
          this.acknowledge(roomId, [{ ticket: refused, written: { message: stored, created: false } }]);
        }
      }
      // Another instance is ahead: find its last seq (one lookup when it is just one batch ahead).
      const known = outcome.overtaken ? await this.messages.lastSeq(roomId, outcome.known) : outcome.known;
      return { open: rest, known };
    } catch (lookupErr) {
      for (const ticket of rest) ticket.reject(lookupErr); // the acked ones stay acked
      return { open: [], known: outcome.known };
    }
  }

  /**
   * What each seq of a failed batch holds. An ordered insert stores document i only after every
   * one before it, and tries nothing after a refusal: so when the driver names the refused one,
   * two lookups check its report (the one before is ours, the refused one is not). Without a
   * report, or with a wrong one, every seq is looked up (on FerretDB each lookup may be a scan).
   */
  private async holdersAfter(roomId: string, docs: Message[], err: unknown): Promise<(Message | null)[]> {
    const refused = reportedRefusal(err, docs.length);
    if (refused !== undefined) {
      const [before, at] = await Promise.all([
        refused > 0 ? this.messages.findAt(roomId, docs[refused - 1].seq) : null,
        this.messages.findAt(roomId, docs[refused].seq),
      ]);
      const prefixStored = refused === 0 || stateOf(docs[refused - 1], before) === 'mine';
      if (prefixStored && stateOf(docs[refused], at) !== 'mine') {
        return docs.map((doc, i) => (i < refused ? doc : i === refused ? at : null));
      }
      this.logger.warn({ msg: 'insertMany report does not match what is stored', roomId, refused });
    }
    return this.messages.findAtEach(
      roomId,
      docs.map((d) => d.seq),
    );
  }

  /**
   * Makes each send's key point at the document planned for it, before the insert: fresh sends
   * claim their keys (one insert), claimed ones whose seq moved move their key (a stored message is
   * thus always where its key points). Returns the sends this writer may insert now; the others
   * are settled elsewhere: claimed first by another writer (settleClaimed), or lost to one.
   */
  private async claim(roomId: string, open: SendTicket[], docs: Message[]): Promise<SendTicket[]> {
    const fresh = open.flatMap((t, i) => (t.item.claimed === undefined ? [i] : []));
    const elsewhere = new Set<number>();
    if (fresh.length > 0) {
      const owned = await this.messages.claimSendKeys(
        fresh.map((i) => docs[i]),
        fresh.map((i) => open[i].item.key),
        this.owner,
      );
      fresh.forEach((i, j) => {
        if (owned[j]) open[i].item.claimed = docs[i]._id;
        else elsewhere.add(i);
      });
    }
    const moving = open.flatMap((t, i) => (!elsewhere.has(i) && t.item.claimed !== docs[i]._id ? [i] : []));
    const moved = await Promise.all(
      moving.map((i) => this.messages.moveSendKey(docs[i], open[i].item.key, this.owner)),
    );
    moving.forEach((i, j) => {
      if (moved[j]) open[i].item.claimed = docs[i]._id;
      else {
        // Taken over: this writer outlived its lease, and the one that took over stores it.
        this.logger.warn({ msg: 'send claim taken over', roomId });
        open[i].reject(tooBusy());
        elsewhere.add(i);
      }
    });
    for (const i of elsewhere) if (!open[i].settled) void this.settleClaimed(roomId, open[i]);
    return open.filter((_, i) => !elsewhere.has(i));
  }

  /**
   * A send whose key is claimed already: its message, once stored at an id the key lists. A claim
   * whose message is not stored is taken over and the send written here when nothing writes it any
   * more: a claim of this process (its sends in flight share one write, so none is), of a writer no
   * process answers for (killed: WriterLiveness), or of another past the lease. Otherwise, after a
   * short wait, UNAVAILABLE (the client retries).
   */
  private async settleClaimed(roomId: string, ticket: SendTicket): Promise<void> {
    const { draft, key } = ticket.item;
    const deadline = Date.now() + CLAIMED_WAIT_MS;
    try {
      for (;;) {
        const claim = await this.messages.findSendKey(key);
        const stored = claim && (await this.messages.storedFor(claim, draft.author.id, draft.clientMsgId));
        if (stored) return ticket.resolve({ message: stored, created: false });
        if (claim && (await this.isFree(claim)) && (await this.messages.takeOverSendKey(claim, this.owner))) {
          ticket.item.claimed = claim.messageId;
          return this.requeue(roomId, ticket);
        }
        if (Date.now() > deadline)
          return ticket.reject(DomainError.unavailable('This message is still being stored, retry'));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } catch (err) {
      ticket.reject(err);
    }
  }

  /** Whether nothing writes a claimed send any more. */
  private async isFree(claim: SendKey): Promise<boolean> {
    if (claim.owner === this.owner) return true;
    if (Date.now() - new Date(claim.at ?? 0).getTime() > CLAIM_LEASE_MS) return true;
    return claim.owner !== undefined && !(await this.liveness.isAlive(claim.owner));
  }

  private requeue(roomId: string, ticket: SendTicket): void {
    const written = this.queue.submit(roomId, ticket.item);
    if (!written) return ticket.reject(tooBusy());
    written.then(
      (w) => ticket.resolve(w),
      (err: unknown) => ticket.reject(err),
    );
  }

  /** A send the (author, clientMsgId) index refused while its seq was free: stored before, where its key points. */
  private async storedElsewhere(attempt: Message): Promise<Message | null> {
    const stored = await this.messages.findSent(attempt.author.id, attempt.clientMsgId);
    if (!stored) this.logger.error({ msg: 'a stored send is not where its key points', messageId: attempt._id });
    return stored;
  }

  /**
   * Announces the stored messages now, in seq order (the room's next batch waits for this call, so
   * this instance announces a room in seq order), and acks them (their keys were written first).
   */
  private acknowledge(roomId: string, settled: Settled[]): void {
    if (settled.length === 0) return;
    const created = settled.filter((s) => s.written.created);
    created.sort((a, b) => a.written.message.seq - b.written.message.seq);
    const roomKind = settled[0].ticket.item.room.kind;
    for (const { written, ticket } of created) {
      this.events.publish(
        EventSubject.room(roomId),
        { type: 'message.new', message: toMessageView(written.message), roomKind },
        ticket.item.origin,
      );
    }
    if (created.length > 0) {
      const lastSeq = created[created.length - 1].written.message.seq;
      this.hints.raise(roomId, lastSeq);
      this.stats.stored(roomId, lastSeq);
    }
    for (const s of settled) s.ticket.resolve(s.written);
  }

  private dropExpired(roomId: string, open: SendTicket[]): SendTicket[] {
    const now = Date.now();
    const expired = (t: SendTicket) => t.item.attempts >= MIN_ATTEMPTS && now >= t.item.deadline;
    if (!open.some(expired)) return open;
    this.logger.warn({ msg: 'no free seq in time', roomId, budgetMs: SEQ_BUDGET_MS });
    for (const t of open.filter(expired)) t.reject(tooBusy());
    return open.filter((t) => !expired(t));
  }
}

function messageOf(roomId: string, seq: number, draft: Draft): Message {
  return {
    _id: messageIdOf(roomId, seq),
    roomId,
    seq,
    author: { id: draft.author.id, username: draft.author.username },
    body: draft.body,
    clientMsgId: draft.clientMsgId,
    ...(draft.attachments && draft.attachments.length > 0 ? { attachments: draft.attachments } : {}),
    ...(draft.mentions && draft.mentions.length > 0 ? { mentions: draft.mentions } : {}),
    createdAt: new Date(),
  };
}
