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

/** Fields every presence event carries: who sent it and how often that gateway heartbeats. */
interface PresenceSource {
  /** Random per gateway process: a restarted gateway is a new claimant. */
  gatewayId: string;
  /** The sender's heartbeat period: its claims expire after 3 periods without one. */
  intervalMs: number;
}

/**
 * Fan-out on `chat.presence.v1`, heard by every gateway. `claim`: the user's first socket on that
 * gateway connected (or it joined a room: `roomIds` grew); `release`: their last socket on that
 * gateway went; `heartbeat`: the complete list of users the gateway holds, split in `parts`;
 * `hello`: a gateway started and asks every other one for a heartbeat now.
 */
export type PresenceEvent =
  | (PresenceSource & { type: 'claim'; user: UserView; roomIds: string[] })
  | (PresenceSource & { type: 'release'; user: UserView; roomIds: string[] })
  | (PresenceSource & { type: 'heartbeat'; round: number; part: number; parts: number; userIds: string[] })
  | (PresenceSource & { type: 'hello' });
