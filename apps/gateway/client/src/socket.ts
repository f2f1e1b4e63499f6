import { io, type Socket } from 'socket.io-client';
import type { MessageView, RoomView, UserView } from '@app/contracts/views';
import type { PresenceEvent } from './presence';
import type { TypingEvent } from './typing';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

export interface RoomMemberEvent {
  roomId: string;
  user: UserView;
  change: 'joined' | 'left';
}

export interface MessageDeletedEvent {
  id: string;
  roomId: string;
  seq: number;
}

export interface RoomReadEvent {
  roomId: string;
  user: UserView;
  seq: number;
}

export interface JoinReply {
  room: RoomView;
  missed: MessageView[];
  hasMore: boolean;
}

/** A refused or unanswered socket request; `code` is the contract's error code (or TIMEOUT). */
export class SocketRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** RATE_LIMITED: how long to wait before trying again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface SocketHandlers {
  state(state: ConnectionState): void;
  /** Each (re)connection: the caller resynchronises what it shows. */
  connected(): void;
  /** The server refused the session (handshake UNAUTHORIZED) or revoked it. */
  signedOut(): void;
  messageNew(message: MessageView): void;
  messageUpdated(message: MessageView): void;
  /** We are mentioned in a new message (in any room we may read, member or not). */
  mention(event: { roomId: string; message: MessageView }): void;
  messageDeleted(event: MessageDeletedEvent): void;
  roomRead(event: RoomReadEvent): void;
  roomMember(event: RoomMemberEvent): void;
  /** The user became a member of a room (added by someone, or joined from another tab). */
  roomAdded(room: RoomView): void;
  roomRemoved(roomId: string): void;
  typing(event: TypingEvent): void;
  presence(event: PresenceEvent): void;
}

type Ack<T> = ({ ok: true } & T) | { ok: false; error?: { code?: string; message?: string; retryAfterMs?: number } };

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The one Socket.IO connection to our own origin. Auth is the `sid` cookie (or the token of the
 * login reply while we hold it); socket.io's own backoff reconnects, and `connected` fires again.
 */
export class ChatSocket {
  private readonly socket: Socket;
  private closed = false;

  constructor(token: string | undefined, handlers: SocketHandlers) {
    this.socket = io({
      path: '/socket.io',
      // WebSocket first: no sticky sessions needed behind a load balancer; polling stays the fallback.
      transports: ['websocket', 'polling'],
      withCredentials: true,
      auth: token ? { token } : {},
    });
    handlers.state('connecting');
    this.socket.on('connect', () => {
      handlers.state('connected');
      handlers.connected();
    });
    this.socket.on('disconnect', (reason) => {
      if (this.closed) return;
      handlers.state('reconnecting');
      // The server hung up on purpose (e.g. revocation): socket.io will not retry by itself.
      if (reason === 'io server disconnect') setTimeout(() => this.reconnect(), 1000);
    });
    this.socket.on('connect_error', (err) => {
      if (this.closed) return;
      if (err.message === 'UNAUTHORIZED') return handlers.signedOut();
      handlers.state('reconnecting');
      if (!this.socket.active) setTimeout(() => this.reconnect(), 2000);
    });
    this.socket.on('session:revoked', () => handlers.signedOut());
    this.socket.on('message:new', (message: MessageView) => handlers.messageNew(message));
    this.socket.on('message:updated', (message: MessageView) => handlers.messageUpdated(message));
    this.socket.on('message:deleted', (event: MessageDeletedEvent) => handlers.messageDeleted(event));
    this.socket.on('room:read', (event: RoomReadEvent) => handlers.roomRead(event));
    this.socket.on('room:member', (event: RoomMemberEvent) => handlers.roomMember(event));
    this.socket.on('room:added', (event: { room: RoomView }) => handlers.roomAdded(event.room));
    this.socket.on('room:removed', (event: { roomId: string }) => handlers.roomRemoved(event.roomId));
    this.socket.on('typing', (event: TypingEvent) => handlers.typing(event));
    this.socket.on('presence', (event: PresenceEvent) => handlers.presence(event));
    this.socket.on('mention', (event: { roomId: string; message: MessageView }) => handlers.mention(event));
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  async request<T>(event: string, payload: object, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
    let reply: Ack<T>;
    try {
      reply = (await this.socket.timeout(timeoutMs).emitWithAck(event, payload)) as Ack<T>;
    } catch {
      throw new SocketRequestError('TIMEOUT', 'The server did not answer in time.');
    }
    if (!reply || typeof reply !== 'object') throw new SocketRequestError('INTERNAL', 'Unexpected server reply.');
    if (!reply.ok) {
      const { code, message, retryAfterMs } = reply.error ?? {};
      throw new SocketRequestError(
        code ?? 'INTERNAL',
        message ?? 'The request failed.',
        typeof retryAfterMs === 'number' ? retryAfterMs : undefined,
      );
    }
    return reply;
  }

  /** Fire and forget (typing): nothing waits for it and a failure is not worth a message. */
  notify(event: string, payload: object): void {
    if (this.socket.connected) this.request(event, payload, 5000).catch(() => undefined);
  }

  close(): void {
    this.closed = true;
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  private reconnect(): void {
    if (!this.closed && !this.socket.connected) this.socket.connect();
  }
}
