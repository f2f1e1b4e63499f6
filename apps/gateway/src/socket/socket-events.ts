import type { ClientToServer, ServerToClient, SessionView } from '@app/contracts';
import type { Socket } from 'socket.io';

export interface SocketData {
  /** The client's address (under TRUST_PROXY), counted by RateLimitsService while the socket is open. */
  address?: string;
  /** No rate limit applies: the address is in RATE_LIMIT_EXEMPT. */
  exempt?: boolean;
  session: SessionView;
}

/**
 * A client's socket, typed by the contract's event maps. What it listens to is typed, not
 * trusted: every payload is validated against the event's class before use (socket-answer.ts).
 */
export type ChatSocket = Socket<ClientToServer, ServerToClient, Record<string, never>, SocketData>;

/** Local socket.io rooms: one per chat room, user and session, so one emit reaches each socket once. */
export const channel = {
  room: (roomId: string) => `room:${roomId}`,
  user: (userId: string) => `user:${userId}`,
  session: (sessionId: string) => `session:${sessionId}`,
};
