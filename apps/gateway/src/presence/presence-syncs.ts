import type { PresenceHeld, PresenceSyncReply } from '@app/contracts';

/** Rooms per sync request and users per answer part: each message far below NATS's 1 MB limit. */
export const SYNC_ROOMS = 500;
export const SYNC_USERS = 1000;

/** A gateway's whole answer to one sync: what it holds in the rooms asked. */
export interface SyncAnswer {
  gatewayId: string;
  intervalMs: number;
  asked: string[];
  /** Asked after missing claims (a reconnection, an expired gateway), not for a room just followed. */
  catchUp: boolean;
  held: PresenceHeld[];
}

interface Pending {
  asked: string[];
  catchUp: boolean;
  at: number;
  /** Per answering gateway: the parts received so far. */
  answers: Map<string, { parts: number; held: PresenceHeld[] }>;
}

/**
 * This gateway's sync requests under way ("who do you hold in these rooms?"), and the answers'
 * parts until each is whole. Any number of gateways answer one request, each in its own parts,
 * which NATS keeps in order. Pure: time is passed in.
 */
export class PresenceSyncs {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** New requests for these rooms, SYNC_ROOMS at a time. */
  open(roomIds: readonly string[], catchUp: boolean, now: number): { syncId: number; roomIds: string[] }[] {
    const out: { syncId: number; roomIds: string[] }[] = [];
    for (let i = 0; i < roomIds.length; i += SYNC_ROOMS) {
      const asked = roomIds.slice(i, i + SYNC_ROOMS);
      const syncId = this.nextId++;
      this.pending.set(syncId, { asked, catchUp, at: now, answers: new Map() });
      out.push({ syncId, roomIds: asked });
    }
    return out;
  }

  /** The answer, once its last part is in; null before, or for a request not (or no longer) ours. */
  receive(reply: PresenceSyncReply): SyncAnswer | null {
    const request = this.pending.get(reply.syncId);
    if (!request) return null;
    let answer = request.answers.get(reply.gatewayId);
    if (!answer || reply.part === 0) request.answers.set(reply.gatewayId, (answer = { parts: 0, held: [] }));
    answer.parts += 1;
    answer.held.push(...reply.users);
    if (answer.parts < reply.parts) return null;
    request.answers.delete(reply.gatewayId);
    const { gatewayId, intervalMs } = reply;
    return { gatewayId, intervalMs, asked: request.asked, catchUp: request.catchUp, held: answer.held };
  }

  /** Forgets requests older than `maxAgeMs`: a gateway that has not answered by then never will. */
  prune(now: number, maxAgeMs: number): void {
    for (const [syncId, request] of this.pending) if (now - request.at > maxAgeMs) this.pending.delete(syncId);
  }
}

/** Splits what this gateway holds into answer parts (at least one, possibly empty). */
export function answerParts(held: PresenceHeld[]): { part: number; parts: number; users: PresenceHeld[] }[] {
  const parts = Math.max(1, Math.ceil(held.length / SYNC_USERS));
  return Array.from({ length: parts }, (_, part) => ({
    part,
    parts,
    users: held.slice(part * SYNC_USERS, (part + 1) * SYNC_USERS),
  }));
}
