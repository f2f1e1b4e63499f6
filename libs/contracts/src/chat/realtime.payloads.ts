import { UserView } from '../views';

/**
 * Fan-out on `chat.room.<roomId>.typing.v1`: one member's typing state, published by the gateway
 * that holds the typing socket. Ephemeral (never stored), and on a subject of its own so that the
 * room's ordered message stream never carries it.
 */
export interface TypingEvent {
  roomId: string;
  user: UserView;
  typing: boolean;
}

/** Fields every presence message carries: who sent it and how often that gateway says it is alive. */
interface PresenceSource {
  /** Random per gateway process: a restarted gateway is a new claimant. */
  gatewayId: string;
  /** The sender's beacon period: its claims expire after 3 periods without a word from it. */
  intervalMs: number;
}

/**
 * Fan-out on `chat.room.<roomId>.presence.v1`, heard by the gateways holding a socket of one of the
 * room's members (the interest rule of the room's events). `claim`: the user's first socket on that
 * gateway connected (`first`), or it joined rooms (`roomIds` grew); `release`: their last socket on
 * that gateway went; both are published on each of the user's rooms. `sync`: a gateway began to follow
 * the room and asks who is online in it; those holding someone there answer on its
 * `chat.presence.gateway.<id>.v1`.
 */
export type RoomPresenceEvent =
  | (PresenceSource & { type: 'claim'; user: UserView; roomIds: string[]; first: boolean })
  | (PresenceSource & { type: 'release'; user: UserView; roomIds: string[] })
  | (PresenceSource & { type: 'sync'; syncId: number });

/**
 * Fan-out on `chat.presence.v2`, heard by every gateway: a few bytes per gateway and period, whatever
 * the users. `alive`: the beacon (`held`: how many users it holds); `sync`: every gateway (or only
 * `target`) answers with what it holds in these rooms, nothing included: after a reconnection, or to a
 * gateway heard again after its claims expired.
 */
export type PresenceBeacon =
  | (PresenceSource & { type: 'alive'; held: number })
  | (PresenceSource & { type: 'sync'; syncId: number; roomIds: string[]; target?: string });

/** One user a gateway holds, with those of their rooms that the sync asked about. */
export interface PresenceHeld {
  user: UserView;
  roomIds: string[];
}

/** The answer to a `sync`, in `parts`: every user the sender holds in the rooms asked, nobody else. */
export type PresenceSyncReply = PresenceSource & {
  type: 'held';
  syncId: number;
  part: number;
  parts: number;
  users: PresenceHeld[];
};
