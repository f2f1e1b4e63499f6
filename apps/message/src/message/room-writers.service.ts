import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { ChatSubject, SendMessageReply, SendMessageRequest, WriterBeacon, WriterSubject } from '@app/contracts';
import { NATS_CONNECTION, NATS_SERVER, NotDelivered, RequestServer, RpcClient } from '@app/nats';
import { JSONCodec, NatsConnection, Subscription } from 'nats';

/** How often each instance announces itself. */
export const BEACON_INTERVAL_MS = 1000;
/** An instance not heard from for this long is gone (three beacons missed, and some slack). */
export const BEACON_EXPIRY_MS = 3500;

const codec = JSONCodec<WriterBeacon>();

/** FNV-1a, 32 bits, then murmur3's final mix (FNV alone spreads short, similar keys badly). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The writer of a room among the instances alive (rendezvous hashing: each room to its highest score). */
export function writerAmong(alive: readonly string[], roomId: string): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const at of alive) {
    const score = hash(`${at}|${roomId}`);
    if (score > bestScore || (score === bestScore && best !== undefined && at > best)) {
      best = at;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The rooms each message-service instance writes. Sends reach any instance (a queue group); with
 * two writing one room, each batch races the other's for the same seqs and the loser looks its
 * seqs up and tries again: measured with 2 instances, a third of the sends failed at 300 msg/s
 * in 10 rooms. So each room has one writer, chosen by rendezvous hashing over the instances alive
 * (each announces itself every second on `chat.writer.beacon.v1`); an instance hands a send for a
 * room it does not write to that room's writer (`directSubject`), and writes it itself when the
 * writer turns out gone (NATS: no responders). Correctness never depends on it: two instances that
 * disagree for a moment (one just started, one just died) both write, and the seq protocol keeps
 * each room gapless and each send stored once, as before.
 */
@Injectable()
export class RoomWriters implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RoomWriters.name);
  /** Other instances' addresses → when last heard from. */
  private readonly peers = new Map<string, number>();
  /** All instances alive, this one included, sorted; rebuilt when the set changes. */
  private alive: string[] = [];
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly rpc: RpcClient,
    @Optional() @Inject(NATS_SERVER) private readonly server?: RequestServer,
  ) {
    this.alive = this.server ? [this.server.address] : [];
  }

  onApplicationBootstrap(): void {
    if (!this.server) return; // no request transport (a suite's in-process module): every room is ours
    this.subscription = this.nc.subscribe(WriterSubject.Beacon, {
      callback: (_err, msg) => {
        let beacon: WriterBeacon;
        try {
          beacon = codec.decode(msg.data);
        } catch {
          return;
        }
        if (typeof beacon?.at !== 'string' || beacon.at === this.server?.address) return;
        if (beacon.gone) this.drop(beacon.at);
        else this.heard(beacon.at);
      },
    });
    const announce = () => this.nc.publish(WriterSubject.Beacon, codec.encode({ at: this.server!.address }));
    announce();
    this.timer = setInterval(() => {
      announce();
      this.expire();
    }, BEACON_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.subscription?.unsubscribe();
    if (this.server && !this.nc.isClosed()) {
      this.nc.publish(WriterSubject.Beacon, codec.encode({ at: this.server.address, gone: true }));
    }
  }

  /** The address of the instance that writes this room, or undefined when it is this one. */
  writerOf(roomId: string): string | undefined {
    if (this.alive.length < 2) return undefined;
    const writer = writerAmong(this.alive, roomId);
    return writer === this.server?.address ? undefined : writer;
  }

  /**
   * A send for a room another instance writes, handed to it; `here` serves it when that writer is
   * gone. Any other outcome (its reply, its refusal, a timeout) is the send's.
   */
  async handOver(
    at: string,
    req: SendMessageRequest,
    here: () => Promise<SendMessageReply>,
  ): Promise<SendMessageReply> {
    try {
      return await this.rpc.request(ChatSubject.SendMessage, req, { at });
    } catch (err) {
      if (!(err instanceof NotDelivered)) throw err;
      this.logger.warn({ msg: 'room writer gone, writing here', at, roomId: req.roomId });
      this.drop(at);
      return here();
    }
  }

  /** The instances alive, this one first: for the suites. */
  instances(): string[] {
    return this.server ? [this.server.address, ...this.peers.keys()] : [];
  }

  private heard(at: string): void {
    const known = this.peers.has(at);
    this.peers.set(at, Date.now());
    if (!known) this.rebuild();
  }

  private drop(at: string): void {
    if (this.peers.delete(at)) this.rebuild();
  }

  private expire(): void {
    const before = Date.now() - BEACON_EXPIRY_MS;
    let changed = false;
    for (const [at, seen] of this.peers) {
      if (seen < before) changed = this.peers.delete(at) || changed;
    }
    if (changed) this.rebuild();
  }

  private rebuild(): void {
    this.alive = this.server ? [this.server.address, ...this.peers.keys()].sort() : [];
  }
}
