import { NatsContext, OutgoingResponse, ServerNats } from '@nestjs/microservices';
import { Logger } from '@nestjs/common';
import { ErrorCode, RequestSubject, directSubject } from '@app/contracts';
import { REQUEST_ID_HEADER, debugLogged, requestIdFrom, withRequestId } from '@app/logging';
import { NatsMetrics, Outcome, RpcMetrics, outcomeOf } from '@app/metrics';
import { Span, SpanKind, activeSpan, endSpan, startSpan, tracingOn, withSpan } from '@app/tracing';
import { messaging, traceOf, traceOfFields } from './message-context';
import { randomUUID } from 'node:crypto';
import type { Msg, NatsConnection, NatsError, Subscription } from 'nats';

/** Injection token of the service's request transport (its NATS connection is the one requests arrive on). */
export const NATS_SERVER = Symbol('NATS_SERVER');

const noReply = (): void => undefined;

/** A subject no JSON text can be: it starts with a letter or `_` (JSON: `{`, `[`, `"`, a digit, `-`, true/false/null). */
const PLAIN_SUBJECT = /^(?!(?:true|false|null)$)[A-Za-z_]/;

/**
 * Nest's NATS transport, serving each request as part of the request id in its X-Request-Id header,
 * timing it from its arrival to its reply into chat_rpc_duration_seconds{side="server"}, and counting
 * reconnections. The publisher is Nest's own
 * (`ServerNats.getPublisher`), with the observation added.
 */
export class RequestServer extends ServerNats {
  /** This instance's address: `directSubject(subject, address)` reaches it alone. */
  readonly address = randomUUID();
  private rpc?: RpcMetrics;
  private readonly log = new Logger(RequestServer.name);
  private readonly direct: Subscription[] = [];

  /** Nest's queue-group subscriptions, and this instance's own for handlers that accept `direct`. */
  override bindEvents(client: NatsConnection): void {
    super.bindEvents(client);
    for (const [channel, handler] of this.messageHandlers) {
      if (handler.extras?.direct !== true) continue;
      const subject = directSubject(channel as RequestSubject, this.address);
      const callback = this.getMessageHandler(channel).bind(this) as (err: NatsError | null, msg: Msg) => void;
      this.direct.push(client.subscribe(subject, { callback }));
    }
  }

  override async close(): Promise<void> {
    for (const sub of this.direct.splice(0)) sub.unsubscribe();
    await super.close();
  }

  /**
   * The route of a subscription's subject. Nest's own first tries `JSON.parse` on it, for object
   * patterns, which throws (a SyntaxError with its stack) on every request to a plain subject like
   * ours; a pattern that cannot be JSON is its own route, and the rest go to Nest's.
   */
  protected override getRouteFromPattern(pattern: string): string {
    return PLAIN_SUBJECT.test(pattern) ? pattern : super.getRouteFromPattern(pattern);
  }

  /** The metrics live in the application, which is created after its transport. */
  observe(rpc: RpcMetrics, nats: NatsMetrics): void {
    this.rpc = rpc;
    this.on('reconnect', () => nats.reconnects.inc());
  }

  /** The connection requests arrive on; throws before the transport listens. */
  connection(): NatsConnection {
    return this.unwrap<NatsConnection>();
  }

  /** Each request is served inside the context of the request id it carries (minted when it has none). */
  override handleMessage(channel: string, natsMsg: Msg): Promise<unknown> {
    const requestId = requestIdFrom(natsMsg.headers?.get(REQUEST_ID_HEADER));
    const serve = () => withRequestId(requestId, () => super.handleMessage(channel, natsMsg));
    if (!tracingOn()) return serve();
    // Ended with the reply (getPublisher), which is sent from inside this context.
    const parent = traceOf(natsMsg.headers);
    const attributes = { ...messaging(channel), 'chat.request_id': requestId };
    return withSpan(startSpan(`process ${channel}`, SpanKind.SERVER, attributes, parent), serve, parent);
  }

  /**
   * Serves one item of a request that carries several (SendMessages) as a request of its own on
   * `subject` would be served: as part of the request id it names (a fresh one if none or not a sane
   * one); timed into chat_rpc_duration_seconds{side="server"} and logged with the outcome
   * `outcomeIn` reads from its result; while tracing is on, in a server span `process <subject>`
   * child of its trace fields.
   */
  serveItem<T>(
    subject: RequestSubject,
    item: { requestId?: unknown; trace?: unknown },
    fn: () => Promise<T>,
    outcomeIn: (result: T) => Outcome,
  ): Promise<T> {
    const requestId = requestIdFrom(item.requestId);
    const started = performance.now();
    const parent = item.trace === undefined ? undefined : traceOfFields(item.trace);
    const span = parent
      ? startSpan(
          `process ${subject}`,
          SpanKind.SERVER,
          { ...messaging(subject), 'chat.request_id': requestId },
          parent,
        )
      : undefined;
    return withRequestId(requestId, () =>
      withSpan(span, fn, parent).then(
        (result) => {
          this.served(subject, outcomeIn(result), started, span);
          return result;
        },
        (err: unknown) => {
          this.served(subject, outcomeOf(err), started, span, err);
          throw err;
        },
      ),
    );
  }

  override getPublisher(natsMsg: Msg, id: string, ctx: NatsContext): (packet: OutgoingResponse) => unknown {
    const span = activeSpan();
    if (!natsMsg.reply) {
      endSpan(span);
      return noReply;
    }
    const started = performance.now();
    // Nest's `send` hands each value, then (or with the last one) `isDisposed`.
    return (packet: OutgoingResponse) => {
      packet.id = id;
      const outgoing = this.serializer.serialize(packet) as { data: Uint8Array; headers?: Msg['headers'] };
      this.onProcessingEndHook?.(this.transportId, ctx);
      if (packet.isDisposed) {
        const outcome = packet.err === undefined || packet.err === null ? 'ok' : outcomeOf(packet.err);
        this.served(natsMsg.subject, outcome, started, span);
      }
      return natsMsg.respond(outgoing.data, { headers: outgoing.headers });
    };
  }

  /** How every request served ends, alone or as an item of another: timed, logged, its span closed. */
  private served(subject: string, outcome: Outcome, started: number, span: Span | undefined, failure?: unknown): void {
    const ms = performance.now() - started;
    this.rpc?.observe('server', subject, outcome, ms / 1000);
    if (debugLogged()) this.log.debug({ msg: 'request served', subject, outcome, ms });
    span?.setAttribute('chat.outcome', outcome);
    // A refusal the contract names (NOT_FOUND, RATE_LIMITED…) is the service working, not failing.
    endSpan(
      span,
      failure ?? (outcome === ErrorCode.INTERNAL || outcome === ErrorCode.UNAVAILABLE ? outcome : undefined),
    );
  }
}
