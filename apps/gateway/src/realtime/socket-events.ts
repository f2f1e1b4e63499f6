import type { MessageView, RoomView, SessionView, UserView } from '@app/contracts';
import type { Socket } from 'socket.io';

/** Client → server events of the contract. */
export const ClientEvent = {
  RoomJoin: 'room:join',
  RoomLeave: 'room:leave',
  MessageSend: 'message:send',
  MessageEdit: 'message:edit',
  MessageDelete: 'message:delete',
  RoomRead: 'room:read',
  Typing: 'typing',
  /** Addition to the contract: who of a room's members is online now. */
  PresenceList: 'presence:list',
} as const;

/** Server → client events and their payloads. */
export interface ServerEvents {
  'message:new': (message: MessageView) => void;
  'message:updated': (message: MessageView) => void;
  'message:deleted': (event: { id: string; roomId: string; seq: number }) => void;
  'room:read': (event: { roomId: string; user: UserView; seq: number }) => void;
  'room:member': (event: { roomId: string; user: UserView; change: 'joined' | 'left' }) => void;
  'session:revoked': (event: Record<string, never>) => void;
  typing: (event: { roomId: string; user: UserView; typing: boolean }) => void;
  presence: (event: { user: UserView; status: 'online' | 'offline' }) => void;
  mention: (event: { roomId: string; message: MessageView }) => void;
  /** Additions to the contract: the user's membership changed (on any path), so a client can update its room list. */
  'room:added': (event: { room: RoomView }) => void;
  'room:removed': (event: { roomId: string }) => void;
}

export interface SocketData {
  /** The client's address (under TRUST_PROXY), counted by RateLimitsService while the socket is open. */
  address?: string;
  /** No rate limit applies: the address is in RATE_LIMIT_EXEMPT. */
  exempt?: boolean;
  session: SessionView;
}

/** Incoming events are untrusted: every payload is validated before use. */
export type ClientEvents = Record<string, (...args: unknown[]) => void>;

export type ChatSocket = Socket<ClientEvents, ServerEvents, Record<string, never>, SocketData>;

/** Local socket.io rooms: one per chat room, user and session, so one emit reaches each socket once. */
export const channel = {
  room: (roomId: string) => `room:${roomId}`,
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
};
