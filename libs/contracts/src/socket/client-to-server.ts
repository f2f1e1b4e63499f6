import type { ErrorCode } from '../error-code';
import type { MessageView, RoomView, UserView } from '../views';
import type {
  MessageDeletePayload,
  MessageEditPayload,
  MessageSendPayload,
  PresenceListPayload,
  RoomJoinPayload,
  RoomLeavePayload,
  RoomReadPayload,
  TypingPayload,
} from './socket.payloads';

/** What a refused client → server event is acknowledged with. */
export interface AckError {
  ok: false;
  /** `retryAfterMs` with RATE_LIMITED only. */
  error: { code: ErrorCode; message: string; retryAfterMs?: number };
}

/** Every client → server event is acknowledged `{ok: true, …result}` or `{ok: false, error}`. */
export type Ack<Result extends object> = ({ ok: true } & Result) | AckError;

/** The result of an event whose ack says only `{ok: true}`. */
export type EmptyResult = Record<never, never>;

export interface RoomJoinResult {
  room: RoomView;
  /** After `afterSeq`, ascending; empty without it. */
  missed: MessageView[];
  /** More than `missed` holds were missed: page the rest over HTTP. */
  hasMore: boolean;
}

export interface MessageResult {
  message: MessageView;
}

export interface PresenceListResult {
  users: UserView[];
}

/**
 * Client → server events: each event's payload (a class, whose rules the gateway validates) and
 * the result its ack carries.
 */
export interface ClientCommands {
  'room:join': { payload: RoomJoinPayload; result: RoomJoinResult };
  'room:leave': { payload: RoomLeavePayload; result: EmptyResult };
  'message:send': { payload: MessageSendPayload; result: MessageResult };
  'message:edit': { payload: MessageEditPayload; result: MessageResult };
  'message:delete': { payload: MessageDeletePayload; result: EmptyResult };
  'room:read': { payload: RoomReadPayload; result: EmptyResult };
  typing: { payload: TypingPayload; result: EmptyResult };
  /** Addition to the contract: who of a room's members is online now. */
  'presence:list': { payload: PresenceListPayload; result: PresenceListResult };
}

export type ClientEventName = keyof ClientCommands;
export type ClientPayload<E extends ClientEventName> = ClientCommands[E]['payload'];
export type ClientResult<E extends ClientEventName> = ClientCommands[E]['result'];
export type ClientAck<E extends ClientEventName> = Ack<ClientResult<E>>;

/** The same map as socket.io types it: the gateway's sockets listen to it, the browser's emit it. */
export type ClientToServer = {
  [E in ClientEventName]: (payload: ClientPayload<E>, ack: (answer: ClientAck<E>) => void) => void;
};

/** The names, for code that needs them at run time (the gateway's handlers). */
export const ClientEvent = {
  RoomJoin: 'room:join',
  RoomLeave: 'room:leave',
  MessageSend: 'message:send',
  MessageEdit: 'message:edit',
  MessageDelete: 'message:delete',
  RoomRead: 'room:read',
  Typing: 'typing',
  PresenceList: 'presence:list',
} as const satisfies Record<string, ClientEventName>;

type Unnamed = Exclude<ClientEventName, (typeof ClientEvent)[keyof typeof ClientEvent]>;
/** Compiles only while every event of the map has a name above. */
const _everyEventNamed: [Unnamed] extends [never] ? true : { unnamed: Unnamed } = true;
