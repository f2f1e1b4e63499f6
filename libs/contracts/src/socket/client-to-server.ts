import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorCode } from '../error-code';
import { MessageView, RoomView, UserView } from '../views';
import type { Same } from './same-type';
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

// Classes, not interfaces, so that docs/asyncapi.yaml describes them from here (`@ApiProperty`).

export class AckErrorDetail {
  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode' })
  code!: ErrorCode;

  @ApiProperty({ description: 'Human-readable text' })
  message!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'RATE_LIMITED only: how long to wait, in ms' })
  retryAfterMs?: number;
}

/** What a refused client → server event is acknowledged with. */
export class AckError {
  @ApiProperty({ enum: [false] })
  ok!: false;

  /** `retryAfterMs` with RATE_LIMITED only. */
  @ApiProperty({ type: () => AckErrorDetail })
  error!: AckErrorDetail;
}

/** Every client → server event is acknowledged `{ok: true, …result}` or `{ok: false, error}`. */
export type Ack<Result extends object> = ({ ok: true } & Result) | AckError;

/** The result of an event whose ack says only `{ok: true}`. */
export class EmptyResult {}

export class RoomJoinResult {
  @ApiProperty({ type: () => RoomView })
  room!: RoomView;

  /** After `afterSeq`, ascending; empty without it. */
  @ApiProperty({
    type: () => [MessageView],
    description: 'After afterSeq, ascending by seq (at most 200); empty without it',
  })
  missed!: MessageView[];

  /** More than `missed` holds were missed: page the rest over HTTP. */
  @ApiProperty({ description: 'More were missed than missed holds: page the rest over HTTP' })
  hasMore!: boolean;
}

export class MessageResult {
  @ApiProperty({ type: () => MessageView })
  message!: MessageView;
}

export class PresenceListResult {
  @ApiProperty({ type: () => [UserView], description: "The room's members online now" })
  users!: UserView[];
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

/** Each event's result class, for code that needs it at run time (the AsyncAPI document). */
export const CLIENT_RESULTS = {
  'room:join': RoomJoinResult,
  'room:leave': EmptyResult,
  'message:send': MessageResult,
  'message:edit': MessageResult,
  'message:delete': EmptyResult,
  'room:read': EmptyResult,
  typing: EmptyResult,
  'presence:list': PresenceListResult,
} as const satisfies { [E in ClientEventName]: new () => ClientCommands[E]['result'] };
/** Compiles only while each class above is exactly its event's result in ClientCommands. */
const _resultsExact: {
  [E in ClientEventName]: Same<InstanceType<(typeof CLIENT_RESULTS)[E]>, ClientCommands[E]['result']>;
} = {
  'room:join': true,
  'room:leave': true,
  'message:send': true,
  'message:edit': true,
  'message:delete': true,
  'room:read': true,
  typing: true,
  'presence:list': true,
};
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
