import { ApiProperty } from '@nestjs/swagger';
import { MessageView, RoomView, UserView } from '../views';
import type { Same } from './same-type';

// Classes, not interfaces, so that docs/asyncapi.yaml describes them from here (`@ApiProperty`).

export class MessageDeletedEvent {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  roomId!: string;

  @ApiProperty({ type: 'integer', minimum: 1 })
  seq!: number;
}

export class RoomReadEvent {
  @ApiProperty()
  roomId!: string;

  @ApiProperty({ type: () => UserView })
  user!: UserView;

  @ApiProperty({ type: 'integer', minimum: 0, description: "The user's read pointer now" })
  seq!: number;
}

export class RoomMemberEvent {
  @ApiProperty()
  roomId!: string;

  @ApiProperty({ type: () => UserView })
  user!: UserView;

  @ApiProperty({ enum: ['joined', 'left'] })
  change!: 'joined' | 'left';
}

/** A `typing: true` not refreshed within 6 s lapses. */
export class UserTypingEvent {
  @ApiProperty()
  roomId!: string;

  @ApiProperty({ type: () => UserView })
  user!: UserView;

  @ApiProperty({ description: 'A typing: true not refreshed within 6 s lapses' })
  typing!: boolean;
}

export class UserPresenceEvent {
  @ApiProperty({ type: () => UserView })
  user!: UserView;

  @ApiProperty({ enum: ['online', 'offline'] })
  status!: 'online' | 'offline';
}

export class MentionEvent {
  @ApiProperty()
  roomId!: string;

  @ApiProperty({ type: () => MessageView })
  message!: MessageView;
}

export class SessionRevokedNotice {}

/** Additions to the contract: the user's membership changed (on any path), so a client can update its room list. */
export class RoomAddedEvent {
  @ApiProperty({ type: () => RoomView })
  room!: RoomView;
}

export class RoomRemovedEvent {
  @ApiProperty()
  roomId!: string;
}

/** Server → client events and their payloads, as socket.io types them: the gateway emits them, the browser listens. */
export interface ServerToClient {
  'message:new': (message: MessageView) => void;
  'message:updated': (message: MessageView) => void;
  'message:deleted': (event: MessageDeletedEvent) => void;
  'room:read': (event: RoomReadEvent) => void;
  'room:member': (event: RoomMemberEvent) => void;
  'session:revoked': (event: SessionRevokedNotice) => void;
  typing: (event: UserTypingEvent) => void;
  presence: (event: UserPresenceEvent) => void;
  mention: (event: MentionEvent) => void;
  'room:added': (event: RoomAddedEvent) => void;
  'room:removed': (event: RoomRemovedEvent) => void;
}

export type ServerEventName = keyof ServerToClient;
export type ServerPayload<E extends ServerEventName> = Parameters<ServerToClient[E]>[0];

/** Each event's payload class, for code that needs it at run time (the AsyncAPI document). */
export const SERVER_PAYLOADS = {
  'message:new': MessageView,
  'message:updated': MessageView,
  'message:deleted': MessageDeletedEvent,
  'room:read': RoomReadEvent,
  'room:member': RoomMemberEvent,
  'session:revoked': SessionRevokedNotice,
  typing: UserTypingEvent,
  presence: UserPresenceEvent,
  mention: MentionEvent,
  'room:added': RoomAddedEvent,
  'room:removed': RoomRemovedEvent,
} as const satisfies { [E in ServerEventName]: new () => ServerPayload<E> };
/** Compiles only while each class above is exactly its event's payload in ServerToClient. */
const _payloadsExact: { [E in ServerEventName]: Same<InstanceType<(typeof SERVER_PAYLOADS)[E]>, ServerPayload<E>> } = {
  'message:new': true,
  'message:updated': true,
  'message:deleted': true,
  'room:read': true,
  'room:member': true,
  'session:revoked': true,
  typing: true,
  presence: true,
  mention: true,
  'room:added': true,
  'room:removed': true,
};

/** The names, for code that needs them at run time. */
export const ServerEvent = {
  MessageNew: 'message:new',
  MessageUpdated: 'message:updated',
  MessageDeleted: 'message:deleted',
  RoomRead: 'room:read',
  RoomMember: 'room:member',
  SessionRevoked: 'session:revoked',
  Typing: 'typing',
  Presence: 'presence',
  Mention: 'mention',
  RoomAdded: 'room:added',
  RoomRemoved: 'room:removed',
} as const satisfies Record<string, ServerEventName>;

type Unnamed = Exclude<ServerEventName, (typeof ServerEvent)[keyof typeof ServerEvent]>;
/** Compiles only while every event of the map has a name above. */
const _everyEventNamed: [Unnamed] extends [never] ? true : { unnamed: Unnamed } = true;
