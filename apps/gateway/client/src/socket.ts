import { io, type Socket } from 'socket.io-client';
import type {
  AckError,
  ClientAck,
  ClientEventName,
  ClientPayload,
  ClientResult,
  ClientToServer,
  MessageDeletedEvent,
  MentionEvent,
  RoomMemberEvent,
  RoomReadEvent,
  ServerToClient,
  UserPresenceEvent,
  UserTypingEvent,
} from '@app/contracts/socket';
import type { MessageView, RoomView } from '@app/contracts/views';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

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
  mention(event: MentionEvent): void;
  messageDeleted(event: MessageDeletedEvent): void;
  roomRead(event: RoomReadEvent): void;
  roomMember(event: RoomMemberEvent): void;
  /** The user became a member of a room (added by someone, or joined from another tab). */
  roomAdded(room: RoomView): void;
  roomRemoved(roomId: string): void;
  typing(event: UserTypingEvent): void;
  presence(event: UserPresenceEvent): void;
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * The one Socket.IO connection to our own origin. Auth is the `sid` cookie (or the token of the
 * login reply while we hold it); socket.io's own backoff reconnects, and `connected` fires again.
 */
export class ChatSocket {
  private readonly socket: Socket<ServerToClient, ClientToServer>;
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
    this.socket.on('message:new', (message) => handlers.messageNew(message));
    this.socket.on('message:updated', (message) => handlers.messageUpdated(message));
    this.socket.on('message:deleted', (event) => handlers.messageDeleted(event));
    this.socket.on('room:read', (event) => handlers.roomRead(event));
    this.socket.on('room:member', (event) => handlers.roomMember(event));
    this.socket.on('room:added', (event) => handlers.roomAdded(event.room));
    this.socket.on('room:removed', (event) => handlers.roomRemoved(event.roomId));
    this.socket.on('typing', (event) => handlers.typing(event));
    this.socket.on('presence', (event) => handlers.presence(event));
    this.socket.on('mention', (event) => handlers.mention(event));
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** One client → server event; resolves with its ack's result, or throws the refusal. */
  async request<E extends ClientEventName>(
    event: E,
    payload: ClientPayload<E>,
    timeoutMs = REQUEST_TIMEOUT_MS,
  ): Promise<ClientResult<E>> {
    let reply: ClientAck<E> | undefined;
    try {
      reply = await this.emitWithAck(event, payload, timeoutMs);
    } catch {
      throw new SocketRequestError('TIMEOUT', 'The server did not answer in time.');
    }
    if (!reply || typeof reply !== 'object') throw new SocketRequestError('INTERNAL', 'Unexpected server reply.');
    if (!reply.ok) {
      // The server's word, checked all the same: a reply without its error still fails cleanly.
      const { code, message, retryAfterMs }: Partial<AckError['error']> = reply.error ?? {};
      throw new SocketRequestError(
        code ?? 'INTERNAL',
        message ?? 'The request failed.',
        typeof retryAfterMs === 'number' ? retryAfterMs : undefined,
      );
    }
    return reply;
  }

  /** Fire and forget (typing): nothing waits for it and a failure is not worth a message. */
  notify<E extends ClientEventName>(event: E, payload: ClientPayload<E>): void {
    if (this.socket.connected) this.request(event, payload, 5000).catch(() => undefined);
  }

  close(): void {
    this.closed = true;
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }

  /**
   * socket.io resolves its event types for a literal event name only, not for one that is itself
   * a type parameter: the one cast, which `request`'s signature keeps honest.
   */
  private emitWithAck<E extends ClientEventName>(
    event: E,
    payload: ClientPayload<E>,
    timeoutMs: number,
  ): Promise<ClientAck<E>> {
    const untyped = this.socket.timeout(timeoutMs) as unknown as Socket;
    return untyped.emitWithAck(event, payload) as Promise<ClientAck<E>>;
  }

  private reconnect(): void {
    if (!this.closed && !this.socket.connected) this.socket.connect();
  }
}
