import type { MessageView, RoomView, UserView } from '../views';

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

export interface RoomMemberEvent {
  roomId: string;
  user: UserView;
  change: 'joined' | 'left';
}

/** A `typing: true` not refreshed within 6 s lapses. */
export interface UserTypingEvent {
  roomId: string;
  user: UserView;
  typing: boolean;
}

export interface UserPresenceEvent {
  user: UserView;
  status: 'online' | 'offline';
}

export interface MentionEvent {
  roomId: string;
  message: MessageView;
}

export type SessionRevokedNotice = Record<never, never>;

/** Additions to the contract: the user's membership changed (on any path), so a client can update its room list. */
export interface RoomAddedEvent {
  room: RoomView;
}

export interface RoomRemovedEvent {
  roomId: string;
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
