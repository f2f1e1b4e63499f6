import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ClientAck, EventOf, EventSubject, PresenceHeld, RoomPresenceEvent, UserView } from '@app/contracts';
import { EventBus } from '@app/nats';
import { randomUUID } from 'node:crypto';
import { GatewayConfig } from '../gateway.config';
import { DrainState } from '../lifecycle/drain-state';
import { LocalMemberService } from '../room-stream/local-member.service';
import { RefCountedSubscriptions } from '../common/ref-counted-subscriptions';
import { answer } from '../socket/socket-answer';
import { ChatSocket, channel } from '../socket/socket-events';
import { SocketServerHolder } from '../socket/socket-server.holder';
import { LocalUsers } from './local-users';
import { MISSED_BEACONS, PresenceClaims, PresenceTransition } from './presence-claims';
import { isPresenceBeacon, isPresenceSyncReply, isRoomPresenceEvent } from './presence-messages';
import { PresenceSyncs, answerParts } from './presence-syncs';

/**
 * Presence across gateways, scoped by interest like room events. Each gateway claims the users
 * whose sockets it holds, on each of their rooms' presence subjects (a claim on their first socket
 * here, a release on their last), and follows the presence subjects of its own users' rooms: it hears
 * about the users who share a room with its sockets, and nobody else. A room it begins to follow is
 * synced (the gateways holding someone there answer). Liveness is per gateway: a beacon every
 * PRESENCE_HEARTBEAT_MS, whatever the users; a gateway silent for 3 periods loses its claims. Each
 * gateway announces first-claim / last-claim transitions to its own sockets in the user's rooms.
 */
@Injectable()
export class PresenceService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PresenceService.name);
  readonly gatewayId = randomUUID();
  private readonly claims = new PresenceClaims(this.gatewayId);
  private readonly local = new LocalUsers();
  private readonly syncs = new PresenceSyncs();
  /** Rooms whose presence subject this gateway follows: those its users' claims name. */
  private readonly followed = new Set<string>();
  private readonly follows = new RefCountedSubscriptions((roomId) => this.follow(roomId));
  private readonly intervalMs: number;
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
    this.events.subscribe(EventSubject.Presence, (message) => this.onBeacon(message));
    this.events.subscribe(EventSubject.presenceReplies(this.gatewayId), (reply) => this.onSyncReply(reply));
    // Claims published meanwhile were missed: every gateway tells again what it holds in our rooms.
    this.events.onReconnect(() => this.syncAll());
    await this.events.flush();
    const every = (ms: number, fn: () => void) => {
      const timer = setInterval(fn, ms);
      timer.unref();
      this.timers.push(timer);
    };
    this.beacon();
    every(this.intervalMs, () => this.beacon());
    every(Math.max(50, Math.floor(this.intervalMs / 4)), () => {
      const now = Date.now();
      this.announce(this.claims.expire(now));
      this.syncs.prune(now, MISSED_BEACONS * this.intervalMs);
    });
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.follows.closeAll();
  }

  /** The socket is connected and in its rooms. */
  socketConnected(socket: ChatSocket, roomIds: string[]): void {
    const user = userOf(socket.data.session.user);
    const { first, rooms } = this.local.connect(user, socket.id, roomIds);
    if (first || rooms.length > 0) this.claim(user, rooms, first);
  }

  /** A connected socket joined a room: its members hear about the user from now on. */
  roomAttached(socket: ChatSocket, roomId: string): void {
    const user = userOf(socket.data.session.user);
    if (this.local.addRoom(user.id, socket.id, roomId)) this.claim(user, [roomId], false);
  }

  socketGone(socket: ChatSocket): void {
    const gone = this.local.disconnect(socket.data.session.user.id, socket.id);
    if (!gone) return;
    const release = { type: 'release' as const, ...this.source(), user: gone.user };
    for (const roomId of gone.rooms) this.send(EventSubject.roomPresence(roomId), { ...release, roomIds: [roomId] });
    this.announce(this.claims.release({ ...release, roomIds: gone.rooms }, Date.now()));
    this.follows.releaseHolder(gone.user.id);
  }

  /** `presence:list {roomId}`: the room's members online now, for a client that just opened it. */
  list(socket: ChatSocket, payload: unknown): Promise<ClientAck<'presence:list'>> {
    const context = { drain: this.drain, logger: this.logger };
    return answer(context, socket, 'presence:list', payload, async ({ roomId }) => {
      await this.members.assertMember(socket, roomId);
      return { users: this.claims.onlineIn(roomId) };
    });
  }

  /** Publishes a claim on each room's subject (receivers need one copy per room they follow). */
  private claim(user: UserView, roomIds: string[], first: boolean): void {
    for (const roomId of roomIds) this.follows.acquire(roomId, user.id);
    const claim = { type: 'claim' as const, ...this.source(), user, first };
    for (const roomId of roomIds) this.send(EventSubject.roomPresence(roomId), { ...claim, roomIds: [roomId] });
    this.announce(this.claims.claim({ ...claim, roomIds }, Date.now()));
  }

  private follow(roomId: string): () => void {
    const sub = this.events.subscribe(EventSubject.roomPresence(roomId), (event) => this.onRoomEvent(roomId, event));
    this.followed.add(roomId);
    // Subscribed first, so a claim published after the answer is heard too.
    const [{ syncId }] = this.syncs.open([roomId], false, Date.now());
    this.send(EventSubject.roomPresence(roomId), { type: 'sync', ...this.source(), syncId });
    return () => {
      sub.unsubscribe();
      this.followed.delete(roomId);
      this.claims.forgetRoom(roomId);
    };
  }

  private onRoomEvent(roomId: string, event: RoomPresenceEvent): void {
    if (!isRoomPresenceEvent(event) || event.gatewayId === this.gatewayId || !this.followed.has(roomId)) return;
    switch (event.type) {
      case 'sync':
        // Only who holds someone here answers: the asker has nothing to correct in a room it just followed.
        this.answerSync(event.gatewayId, event.syncId, [roomId], false);
        return;
      case 'claim':
        this.announce(this.claims.claim({ ...event, roomIds: [roomId] }, Date.now()));
        return;
      case 'release':
        this.announce(this.claims.release({ ...event, roomIds: [roomId] }, Date.now()));
        return;
    }
  }

  private onBeacon(message: unknown): void {
    if (!isPresenceBeacon(message) || message.gatewayId === this.gatewayId) return;
    if (message.type === 'alive') {
      // A gateway heard again after its claims expired (or first heard) tells what it holds.
      const unknown = this.claims.alive(message.gatewayId, message.intervalMs, Date.now());
      if (unknown && message.held > 0) this.syncAll(message.gatewayId);
      return;
    }
    if (message.target !== undefined && message.target !== this.gatewayId) return;
    this.answerSync(message.gatewayId, message.syncId, message.roomIds, true);
  }

  private onSyncReply(reply: unknown): void {
    if (!isPresenceSyncReply(reply)) return;
    const whole = this.syncs.receive(reply);
    if (!whole) return;
    // Rooms let go of meanwhile are not learnt again.
    const asked = new Set(whole.asked.filter((id) => this.followed.has(id)));
    const held: PresenceHeld[] = whole.held.map(({ user, roomIds }) => ({
      user: userOf(user),
      roomIds: roomIds.filter((id) => asked.has(id)),
    }));
    this.announce(this.claims.reconcile(whole.gatewayId, whole.intervalMs, asked, held, whole.catchUp, Date.now()));
  }

  /**
   * Every room followed, asked of every gateway (or only `target`), each answering even with nobody:
   * after a reconnection, or of a gateway whose claims expired here.
   */
  private syncAll(target?: string): void {
    for (const { syncId, roomIds } of this.syncs.open([...this.followed], true, Date.now())) {
      this.send(EventSubject.Presence, {
        type: 'sync',
        ...this.source(),
        syncId,
        roomIds,
        ...(target === undefined ? {} : { target }),
      });
    }
  }

  private answerSync(asker: string, syncId: number, roomIds: string[], evenEmpty: boolean): void {
    const held = this.local.heldIn(roomIds);
    if (held.length === 0 && !evenEmpty) return;
    for (const part of answerParts(held)) {
      this.send(EventSubject.presenceReplies(asker), { type: 'held', ...this.source(), syncId, ...part });
    }
  }

  private beacon(): void {
    this.send(EventSubject.Presence, { type: 'alive', ...this.source(), held: this.local.size });
  }

  /** NATS refuses publishing once it drains (shutdown): a timer or a late disconnect must not throw. */
  private send<S extends string>(subject: S, event: EventOf<S>): void {
    try {
      this.events.publish(subject, event);
    } catch (err) {
      this.logger.warn({ msg: 'presence not published', subject, err });
    }
  }

  /** One emit per transition to every local socket in the user's rooms: a socket in several gets it once. */
  private announce(transitions: PresenceTransition[]): void {
    if (!this.sockets.ready) return;
    for (const { user, status, roomIds, toldRoomIds } of transitions) {
      // `to([])` would mean every socket: a user in no known room is announced to nobody.
      if (roomIds.length === 0) continue;
      this.sockets.server
        .to(roomIds.map((id) => channel.room(id)))
        .except([channel.user(user.id), ...toldRoomIds.map((id) => channel.room(id))])
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
