import { INestApplicationContext, Logger } from '@nestjs/common';
import { MessageMappingProperties } from '@nestjs/websockets';
import { newRequestId, withRequestId } from '@app/logging';
import { SpanKind, endSpan, startSpan, traced, withSpan } from '@app/tracing';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { isObservable, lastValueFrom } from 'rxjs';
import type { ServerOptions } from 'socket.io';

interface HandledEvent {
  name: string;
  manualAck: boolean;
}

/** A gateway class's events, in the order of its handler list, and each name's position in it. */
interface HandledEvents {
  list: HandledEvent[];
  index: Map<string, number>;
}

/** The socket type of Nest's own socket.io copy (it pins its version). */
type NestIoSocket = Parameters<IoAdapter['bindMessageHandlers']>[0];

/**
 * Socket.IO with CORS for the ALLOWED_ORIGINS (its polling transport), none when the list is empty,
 * and plain listeners for the gateway's events.
 *
 * Nest's IoAdapter binds each event of each socket through an RxJS pipeline (fromEvent, mergeMap,
 * takeUntil the disconnect, a subscriber): about 190 closures and 30 subscribers per socket, 51 KB
 * of heap per idle connection with the gateway's nine events, and an Observable per event
 * received. Here each event is one listener that awaits Nest's handler (guards, pipes and
 * exception filters still run inside `callback`) and acks its answer; a socket's listeners go with
 * the socket. Each event received is a request of its own, with a fresh request id (and a server
 * span while tracing is on).
 */
export class CorsIoAdapter extends IoAdapter {
  private readonly logger = new Logger(CorsIoAdapter.name);
  /** Handler lists seen, by their events: one per gateway class. */
  private readonly handled = new Map<string, HandledEvents>();

  constructor(
    app: INestApplicationContext,
    private readonly origins: string[],
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): unknown {
    const cors = this.origins.length > 0 ? { cors: { origin: this.origins, credentials: true } } : {};
    return super.createIOServer(port, { ...options, ...cors });
  }

  /** A connection's set-up (subscriptions, presence) runs as a request of its own, with its own id. */
  override bindClientConnect(
    server: { on(event: 'connection', fn: (socket: unknown) => void): void },
    callback: (socket: unknown) => void,
  ): void {
    server.on('connection', (socket: unknown) =>
      withRequestId(newRequestId(), () => {
        const span = startSpan('socket connect', SpanKind.SERVER);
        try {
          withSpan(span, () => callback(socket));
        } finally {
          endSpan(span);
        }
      }),
    );
  }

  /**
   * One catch-all listener per socket (`onAny`) finds the event's handler: a listener per event
   * cost a closure and its context per event and socket. What is the same for every socket (event
   * names, ack handling) is kept once; per socket, only Nest's handlers bound to it. An event no
   * handler takes is ignored, as before (socket.io drops an event nobody listens to).
   */
  override bindMessageHandlers(socket: NestIoSocket, handlers: MessageMappingProperties[]): void {
    const events = this.eventsOf(handlers);
    const callbacks = handlers.map((h) => h.callback);
    socket.onAny((name: unknown, ...payload: unknown[]) => {
      const i = typeof name === 'string' ? events.index.get(name) : undefined;
      if (i !== undefined) this.serve(socket, events.list[i], callbacks[i], payload);
    });
  }

  /** The events of a handler list (the same list for every socket of a gateway class), made once. */
  private eventsOf(handlers: MessageMappingProperties[]): HandledEvents {
    const list = handlers.map((h) => ({ name: String(h.message as unknown), manualAck: h.isAckHandledManually }));
    const key = list.map((e) => `${e.name}\u0000${e.manualAck}`).join('\u0001');
    let events = this.handled.get(key);
    if (!events) {
      events = { list, index: new Map(list.map((e, i) => [e.name, i])) };
      this.handled.set(key, events);
    }
    return events;
  }

  private serve(
    socket: NestIoSocket,
    { name: event, manualAck }: HandledEvent,
    callback: MessageMappingProperties['callback'],
    payload: unknown[],
  ): void {
    const { data, ack } = this.mapPayload(payload) as { data: unknown; ack?: unknown };
    const requestId = newRequestId();
    const answer = () => answerOf(callback(data, ack));
    const attributes = () => ({ 'socket.io.event': event, 'chat.request_id': requestId });
    withRequestId(requestId, () => traced(`socket ${event}`, SpanKind.SERVER, answer, attributes)).then(
      (response) => {
        if (response === null || response === undefined) return;
        if (isEmitted(response)) socket.emit(response.event, response.data);
        else if (!manualAck && typeof ack === 'function') (ack as (answer: unknown) => void)(response);
      },
      (err: unknown) => this.logger.error({ msg: 'socket event handler failed', event, err }),
    );
  }
}

/** What a handler answered: a value, a promise of one, or (Nest allows it) an observable's last value. */
async function answerOf(result: unknown): Promise<unknown> {
  const settled: unknown = await result;
  return isObservable(settled) ? lastValueFrom(settled, { defaultValue: undefined }) : settled;
}

/** Nest's `{event, data}` answer: emitted to the socket instead of acked. */
function isEmitted(response: unknown): response is { event: string; data: unknown } {
  return (
    typeof response === 'object' && response !== null && typeof (response as { event?: unknown }).event === 'string'
  );
}
