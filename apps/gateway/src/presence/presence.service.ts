import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ClientAck, EventSubject, PresenceEvent, UserView } from '@app/contracts';
import { EventBus } from '@app/nats';
import { randomUUID } from 'node:crypto';
import { GatewayConfig } from '../gateway.config';
import { DrainState } from '../lifecycle/drain-state';
import { LocalMemberService } from '../room-stream/local-member.service';
import { answer } from '../socket/socket-answer';
import { ChatSocket, channel } from '../socket/socket-events';
import { SocketServerHolder } from '../socket/socket-server.holder';
import { LocalUsers } from './local-users';
import { PresenceClaims, PresenceTransition } from './presence-claims';

/** User ids per heartbeat message: ~80 KB, far below NATS's 1 MB payload limit. */
const HEARTBEAT_CHUNK = 2000;

/**
 * Presence across gateways. Each gateway claims the users whose sockets it holds (a `claim` on
 * their first socket here, a `release` on their last, a heartbeat listing them all every
 * PRESENCE_HEARTBEAT_MS) and keeps everyone's claims. A user goes online with their first claim
 * anywhere and offline with their last; a gateway that stops heartbeating loses its claims after
 * 3 periods. Each gateway announces those transitions to its own sockets in the user's rooms.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PresenceService.name);
  readonly gatewayId = randomUUID();
  private readonly claims = new PresenceClaims(this.gatewayId);
  private readonly local = new LocalUsers();
  private readonly intervalMs: number;
  private round = 0;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly events: EventBus,
    private readonly sockets: SocketServerHolder,
    private readonly members: LocalMemberService,
    private readonly drain: DrainState,
    config: GatewayConfig,
  ) {
    this.intervalMs = config.PRESENCE_HEARTBEAT_MS;
  }

  async onModuleInit(): Promise<void> {
    this.events.subscribe(EventSubject.Presence, (event) => this.onRemote(event));
    await this.events.flush();
    // Everyone heartbeats on hearing this, so a fresh gateway knows who is online at once.
    this.send({ type: 'hello', ...this.source() });
    const every = (ms: number, fn: () => void) => {
      const timer = setInterval(fn, ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.intervalMs, () => this.heartbeat());
    every(Math.max(50, Math.floor(this.intervalMs / 4)), () => this.announce(this.claims.expire(Date.now())));
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** The socket is connected and in its rooms. */
  socketConnected(socket: ChatSocket, roomIds: string[]): void {
    const { user } = socket.data.session;
    const { first, rooms } = this.local.connect(userOf(user), socket.id, roomIds);
    if (first || rooms.length > 0)
      this.publish({ type: 'claim', ...this.source(), user: userOf(user), roomIds: rooms });
  }

  /** A connected socket joined a room: its members hear about the user from now on. */
  roomAttached(socket: ChatSocket, roomId: string): void {
    const { user } = socket.data.session;
    if (!this.local.addRoom(user.id, socket.id, roomId)) return;
    this.publish({ type: 'claim', ...this.source(), user: userOf(user), roomIds: [roomId] });
  }

  socketGone(socket: ChatSocket): void {
    const gone = this.local.disconnect(socket.data.session.user.id, socket.id);
    if (gone) this.publish({ type: 'release', ...this.source(), user: gone.user, roomIds: gone.rooms });
  }

  /** `presence:list {roomId}`: the room's members online now, for a client that just opened it. */
  list(socket: ChatSocket, payload: unknown): Promise<ClientAck<'presence:list'>> {
    const context = { drain: this.drain, logger: this.logger };
    return answer(context, socket, 'presence:list', payload, async ({ roomId }) => {
      await this.members.assertMember(socket, roomId);
      return { users: this.claims.onlineIn(roomId) };
    });
  }

  private onRemote(event: PresenceEvent): void {
    if (!isPresenceEvent(event) || event.gatewayId === this.gatewayId) return;
    if (event.type === 'hello') this.heartbeat();
    this.announce(this.claims.apply(event, Date.now()));
  }

  /** Publishes this gateway's own claim or release and applies it here at once. */
  private publish(event: PresenceEvent): void {
    this.send(event);
    this.announce(this.claims.apply(event, Date.now()));
  }

  /** NATS refuses publishing once it drains (shutdown): a timer or a late disconnect must not throw. */
  private send(event: PresenceEvent): void {
    try {
      this.events.publish(EventSubject.Presence, event);
    } catch (err) {
      this.logger.warn({ msg: 'presence not published', type: event.type, err });
    }
  }

  private heartbeat(): void {
    const ids = this.local.userIds();
    this.round += 1;
    const parts = Math.max(1, Math.ceil(ids.length / HEARTBEAT_CHUNK));
    for (let part = 0; part < parts; part++) {
      const userIds = ids.slice(part * HEARTBEAT_CHUNK, (part + 1) * HEARTBEAT_CHUNK);
      this.send({
        type: 'heartbeat',
        ...this.source(),
        round: this.round,
        part,
        parts,
        userIds,
      });
    }
  }

  /** One emit per transition to every local socket in the user's rooms: a socket in several gets it once. */
  private announce(transitions: PresenceTransition[]): void {
    if (!this.sockets.ready) return;
    for (const { user, status, roomIds } of transitions) {
      // `to([])` would mean every socket: a user in no known room is announced to nobody.
      if (roomIds.length === 0) continue;
      this.sockets.server
        .to(roomIds.map((id) => channel.room(id)))
        .except(channel.user(user.id))
        .emit('presence', { user, status });
    }
  }

  private source(): { gatewayId: string; intervalMs: number } {
    return { gatewayId: this.gatewayId, intervalMs: this.intervalMs };
  }
}

function userOf(user: UserView): UserView {
  return { id: user.id, username: user.username };
}

/** Other gateways are trusted, but a malformed event must not poison the claims. */
function isPresenceEvent(value: unknown): value is PresenceEvent {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  if (typeof e.gatewayId !== 'string' || typeof e.intervalMs !== 'number' || !(e.intervalMs > 0)) return false;
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const user = e.user as Record<string, unknown> | undefined;
  switch (e.type) {
    case 'claim':
    case 'release':
      return typeof user?.id === 'string' && typeof user.username === 'string' && strings(e.roomIds);
    case 'heartbeat':
      return [e.round, e.part, e.parts].every(Number.isInteger) && (e.parts as number) >= 1 && strings(e.userIds);
    case 'hello':
      return true;
    default:
      return false;
  }
}
