import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ErrorCode, ReplyOf, RequestOf, RequestSubject, directSubject } from '@app/contracts';
import { DomainError, isErrorBody } from '@app/errors';
import { currentRequestId, debugLogged, newRequestId } from '@app/logging';
import { Outcome, RpcMetrics, outcomeOf } from '@app/metrics';
import { ErrorCode as NatsErrorCode, Events, JSONCodec, NatsConnection, NatsError } from 'nats';
import { SpanKind, activeContext, traced } from '@app/tracing';
import { headersOf, messaging } from './message-context';
import { NATS_CONNECTION, RPC_TIMEOUT_MS } from './nats.tokens';

interface NestReplyPacket {
  id?: string;
  response?: unknown;
  err?: unknown;
  isDisposed?: boolean;
}

const codec = JSONCodec<unknown>();

/**
 * Typed request/reply over NATS, speaking the packet format of @nestjs/microservices' NATS
 * transport. Every request has a timeout; no responder or no answer in time is UNAVAILABLE. While
 * the connection to NATS is down a request is UNAVAILABLE at once, and so is one under way when it
 * drops: its answer, if any, is lost with the connection, and one buffered by nats.js until the
 * reconnection was seen to go unanswered until its timeout. The caller retries instead (sends are
 * idempotent by clientMsgId). Each request is timed into chat_rpc_duration_seconds{side="client"} and
 * carries the id of the request it is part of (X-Request-Id header).
 */
@Injectable()
export class RpcClient {
  private readonly logger = new Logger(RpcClient.name);
  /** Fails each request under way, when the connection drops. */
  private readonly underWay = new Set<(err: DomainError) => void>();
  private connected = true;

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(RPC_TIMEOUT_MS) private readonly timeoutMs: number,
    @Optional() private readonly metrics?: RpcMetrics,
  ) {
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === Events.Reconnect) this.connected = true;
        if (status.type !== Events.Disconnect) continue;
        this.connected = false;
        for (const fail of this.underWay) fail(lost());
        this.underWay.clear();
      }
    })();
  }

  async request<S extends RequestSubject>(
    subject: S,
    payload: RequestOf<S>,
    opts: { timeoutMs?: number; at?: string; tracked?: false } = {},
  ): Promise<ReplyOf<S>> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const to = opts.at === undefined ? subject : directSubject(subject, opts.at);
    const ask = () => this.exchange(subject, to, payload, timeoutMs);
    // `tracked: false`: the caller tracks it already (a request standing in for another).
    return opts.tracked === false ? ask() : this.track(subject, ask);
  }

  /**
   * Times, traces and logs `ask` as a request on `subject`: a request of its own, or one that
   * travels inside another (a send in a SendMessages batch), so either is seen the same way.
   */
  async track<T>(subject: RequestSubject, ask: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const reply = await traced(`request ${subject}`, SpanKind.CLIENT, ask, () => messaging(subject));
      this.observe(subject, 'ok', started);
      return reply;
    } catch (err) {
      this.observe(subject, outcomeOf(err), started);
      throw err;
    }
  }

  private observe(subject: string, outcome: Outcome, started: number): void {
    const ms = performance.now() - started;
    this.metrics?.observe('client', subject, outcome, ms / 1000);
    if (debugLogged()) this.logger.debug({ msg: 'request answered', subject, outcome, ms });
  }

  /** `to`: the subject itself, or its directSubject. */
  private async exchange<S extends RequestSubject>(
    subject: S,
    to: string,
    payload: RequestOf<S>,
    timeoutMs: number,
  ): Promise<ReplyOf<S>> {
    if (!this.connected) throw lost();
    let raw: Uint8Array;
    try {
      // Work outside any request (a timer, a reconnection) starts a request of its own here.
      const requestId = currentRequestId() ?? newRequestId();
      const reply = this.nc.request(to, codec.encode({ pattern: subject, data: payload, id: requestId }), {
        timeout: timeoutMs,
        headers: headersOf({ requestId, trace: activeContext() }),
      });
      // A drop fails this request through a promise of its own: one shared by all requests would
      // keep every answered request (reply and all) reachable until the next drop.
      let fail!: (err: DomainError) => void;
      const dropped = new Promise<never>((_, reject) => (fail = reject));
      this.underWay.add(fail);
      try {
        raw = (await Promise.race([reply, dropped])).data;
      } finally {
        this.underWay.delete(fail);
      }
    } catch (err) {
      if (err instanceof DomainError) throw err;
      throw this.transportError(subject, err);
    }
    const packet = codec.decode(raw) as NestReplyPacket;
    if (packet.err !== undefined && packet.err !== null) {
      if (isErrorBody(packet.err)) {
        throw new DomainError(packet.err.code, packet.err.message, packet.err.retryAfter);
      }
      const ref = currentRequestId() ?? newRequestId();
      this.logger.error({ msg: 'malformed error reply', ref, subject, err: packet.err });
      throw new DomainError(ErrorCode.INTERNAL, `Internal error (ref ${ref})`);
    }
    return packet.response as ReplyOf<S>;
  }

  private transportError(subject: string, err: unknown): DomainError {
    const code = err instanceof NatsError ? err.code : undefined;
    if (code === NatsErrorCode.NoResponders) return new NotDelivered(`No ${subject.split('.')[0]} service is running`);
    if (code === NatsErrorCode.Timeout) {
      return DomainError.unavailable(`The ${subject.split('.')[0]} service did not answer in time`);
    }
    this.logger.warn({ msg: 'request failed', subject, err });
    return DomainError.unavailable();
  }
}

/** UNAVAILABLE, and the request was never delivered: no process serves its subject (NATS said so). */
export class NotDelivered extends DomainError {
  constructor(message: string) {
    super(ErrorCode.UNAVAILABLE, message);
  }
}

function lost(): DomainError {
  return DomainError.unavailable('The connection to the other services is down, retry');
}
