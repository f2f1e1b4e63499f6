import type { AttachmentView, MessageView, RoomView, UserView } from '@app/contracts/views';
import { api, describeError } from './api';
import { randomId } from './format';
import { type ChatSocket, SocketRequestError } from './socket';
import { Timeline } from './timeline';

export type PendingState = 'queued' | 'sending' | 'failed';

/** A message typed here and not yet acknowledged; its clientMsgId makes every retry idempotent. */
export interface PendingSend {
  clientMsgId: string;
  body: string;
  /** Already uploaded; sent as `attachmentIds` (the body may then be empty). */
  attachments: AttachmentView[];
  state: PendingState;
  attempts: number;
  error?: string;
}

export interface RoomSessionListener {
  /** Messages new to the timeline; `older` when they came from paging back. */
  added(messages: MessageView[], older: boolean): void;
  pendingChanged(): void;
  statusChanged(): void;
  /** A message already shown was edited or deleted. */
  changed(message: MessageView): void;
}

const MAX_AUTO_ATTEMPTS = 5;
/** `room:read` goes out at most this often per room (the latest seq seen wins). */
const READ_THROTTLE_MS = 1000;
const PAGE_LIMIT = 100;

/**
 * One room as this tab sees it: its timeline, history paging, catch-up after reconnects and the
 * sends in flight. Views listen to it; it never touches the DOM.
 */
export class RoomSession {
  readonly timeline = new Timeline();
  readonly pending: PendingSend[] = [];
  loaded = false;
  loadingNewest = false;
  loadingOlder = false;
  error: string | undefined;
  private listener: RoomSessionListener | undefined;
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  private readSent = 0;
  private readWanted = 0;
  private readTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    public room: RoomView,
    private readonly me: UserView,
    private readonly socket: ChatSocket,
    private readonly roomChanged: (room: RoomView) => void,
  ) {}

  attach(listener: RoomSessionListener | undefined): void {
    this.listener = listener;
  }

  /** Newest page over HTTP (first time only), then join + catch-up over the socket. */
  async open(): Promise<void> {
    if (!this.loaded) await this.loadNewest();
    await this.sync();
  }

  async loadOlder(): Promise<void> {
    const before = this.timeline.oldestSeq;
    if (this.loadingOlder || !this.timeline.hasOlder || before === undefined) return;
    this.loadingOlder = true;
    this.listener?.statusChanged();
    try {
      const page = await api.messages(this.room.id, { before });
      this.timeline.hasOlder = page.hasMore;
      this.add(page.messages, true);
    } catch (err) {
      this.error = describeError(err);
    } finally {
      this.loadingOlder = false;
      this.listener?.statusChanged();
    }
  }

  /**
   * `room:join` with the last seq we hold contiguously, then HTTP pages for the rest: run on every
   * (re)connect and whenever live delivery skipped a seq. Concurrent calls coalesce.
   */
  sync(): Promise<void> {
    if (!this.loaded || !this.socket.connected) return Promise.resolve();
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = this.runSync().finally(() => {
      this.syncing = undefined;
      if (this.syncAgain) {
        this.syncAgain = false;
        void this.sync();
      }
    });
    return this.syncing;
  }

  /** A live `message:new` for this room. */
  receive(message: MessageView): void {
    this.add([message], false);
    if (this.loaded && this.timeline.contiguousTop() < message.seq) void this.sync();
  }

  /** A live `message:updated` (the full edited message). */
  receiveUpdate(message: MessageView): void {
    const revised = this.timeline.revise(message.seq, () => message);
    if (revised) this.listener?.changed(revised);
  }

  /** A live `message:deleted`: the message becomes a tombstone, its seq stays. */
  receiveDelete(seq: number): void {
    const revised = this.timeline.revise(seq, (m) => ({ ...m, body: '', deleted: true, editedAt: undefined }));
    if (revised) this.listener?.changed(revised);
  }

  /** Edits one of our messages; the ack carries the stored version. Errors reach the caller. */
  async edit(message: MessageView, body: string): Promise<void> {
    const reply = await this.socket.request('message:edit', { messageId: message.id, body });
    this.receiveUpdate(reply.message);
  }

  async remove(message: MessageView): Promise<void> {
    await this.socket.request('message:delete', { messageId: message.id });
    this.receiveDelete(message.seq);
  }

  /** Moves our read pointer up to `seq` (what is on screen), throttled; never backwards. */
  markRead(seq: number): void {
    if (seq <= this.readWanted) return;
    this.readWanted = seq;
    this.readTimer ??= setTimeout(() => this.flushRead(), this.readSent === 0 ? 0 : READ_THROTTLE_MS);
  }

  private flushRead(): void {
    this.readTimer = undefined;
    if (this.readWanted <= this.readSent || !this.socket.connected) return;
    this.readSent = this.readWanted;
    this.socket.notify('room:read', { roomId: this.room.id, seq: this.readSent });
  }

  send(body: string, attachments: AttachmentView[] = []): void {
    const pending: PendingSend = { clientMsgId: randomId(), body, attachments, state: 'queued', attempts: 0 };
    this.pending.push(pending);
    this.listener?.pendingChanged();
    void this.trySend(pending);
  }

  /** Tells the room's other members whether this user is typing. */
  sendTyping(typing: boolean): void {
    this.socket.notify('typing', { roomId: this.room.id, typing });
  }

  retry(clientMsgId: string): void {
    const pending = this.pending.find((p) => p.clientMsgId === clientMsgId);
    if (!pending || pending.state === 'sending') return;
    pending.attempts = 0;
    void this.trySend(pending);
  }

  discard(clientMsgId: string): void {
    const index = this.pending.findIndex((p) => p.clientMsgId === clientMsgId && p.state === 'failed');
    if (index >= 0) this.pending.splice(index, 1);
    this.listener?.pendingChanged();
  }

  /** Sends what waited for a connection (same clientMsgId: a send that did land is not stored twice). */
  flushPending(): void {
    for (const pending of this.pending) if (pending.state === 'queued') void this.trySend(pending);
  }

  private async loadNewest(): Promise<void> {
    this.loadingNewest = true;
    this.error = undefined;
    this.listener?.statusChanged();
    try {
      const page = await api.messages(this.room.id);
      this.timeline.hasOlder = page.hasMore;
      this.add(page.messages, false);
      this.loaded = true;
    } catch (err) {
      this.error = describeError(err);
    } finally {
      this.loadingNewest = false;
      this.listener?.statusChanged();
    }
  }

  private async runSync(): Promise<void> {
    try {
      const reply = await this.socket.request('room:join', {
        roomId: this.room.id,
        afterSeq: this.timeline.contiguousTop(),
      });
      this.room = reply.room;
      this.roomChanged(reply.room);
      this.add(reply.missed, false);
      let hasMore = reply.hasMore && reply.missed.length > 0;
      while (hasMore) {
        const page = await api.messages(this.room.id, { after: this.timeline.contiguousTop(), limit: PAGE_LIMIT });
        this.add(page.messages, false);
        hasMore = page.hasMore && page.messages.length > 0;
      }
      if (this.error) {
        this.error = undefined;
        this.listener?.statusChanged();
      }
      this.flushPending();
    } catch (err) {
      this.error = describeError(err);
      this.listener?.statusChanged();
    }
  }

  private async trySend(pending: PendingSend): Promise<void> {
    if (pending.state === 'sending') return;
    if (!this.socket.connected) {
      pending.state = 'queued';
      this.listener?.pendingChanged();
      return;
    }
    pending.state = 'sending';
    pending.attempts += 1;
    pending.error = undefined;
    this.listener?.pendingChanged();
    try {
      const { message } = await this.socket.request('message:send', {
        roomId: this.room.id,
        clientMsgId: pending.clientMsgId,
        body: pending.body,
        ...(pending.attachments.length ? { attachmentIds: pending.attachments.map((a) => a.id) } : {}),
      });
      this.add([message], false);
    } catch (err) {
      if (!this.pending.includes(pending)) return; // its message:new already arrived
      const limited = err instanceof SocketRequestError && err.code === 'RATE_LIMITED';
      const transient = err instanceof SocketRequestError && (err.code === 'TIMEOUT' || err.code === 'UNAVAILABLE');
      if ((transient || limited) && pending.attempts < MAX_AUTO_ATTEMPTS) {
        pending.state = 'queued';
        // Sending too fast: sent again once the server says it may be (the same clientMsgId, so at most once).
        const wait = limited ? Math.max(err.retryAfterMs ?? 1000, 250) : 1000 * pending.attempts;
        setTimeout(() => void this.trySend(pending), wait);
      } else {
        pending.state = 'failed';
        pending.error = describeError(err);
      }
      this.listener?.pendingChanged();
    }
  }

  private add(messages: MessageView[], older: boolean): void {
    const added = this.timeline.merge(messages);
    const mine = new Set(messages.filter((m) => m.author.id === this.me.id).map((m) => m.clientMsgId));
    const before = this.pending.length;
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (mine.has(this.pending[i].clientMsgId)) this.pending.splice(i, 1);
    }
    if (added.length) this.listener?.added(added, older);
    if (this.pending.length !== before) this.listener?.pendingChanged();
  }
}
