import { INestApplicationContext, Logger } from '@nestjs/common';
import { MessageMappingProperties } from '@nestjs/websockets';
import { newRequestId, withRequestId } from '@app/logging';
import { SpanKind, endSpan, startSpan, traced, withSpan } from '@app/tracing';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { isObservable, lastValueFrom } from 'rxjs';
import type { ServerOptions } from 'socket.io';

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

  override bindMessageHandlers(socket: NestIoSocket, handlers: MessageMappingProperties[]): void {
    for (const { message, callback, isAckHandledManually } of handlers) {
      const event = String(message);
      socket.on(event, (...payload: unknown[]) => {
        const { data, ack } = this.mapPayload(payload) as { data: unknown; ack?: unknown };
        const requestId = newRequestId();
        const answer = () => answerOf(callback(data, ack));
        const attributes = () => ({ 'socket.io.event': event, 'chat.request_id': requestId });
        withRequestId(requestId, () => traced(`socket ${event}`, SpanKind.SERVER, answer, attributes)).then(
          (response) => {
            if (response === null || response === undefined) return;
            if (isEmitted(response)) socket.emit(response.event, response.data);
            else if (!isAckHandledManually && typeof ack === 'function') (ack as (answer: unknown) => void)(response);
          },
          (err: unknown) => this.logger.error({ msg: 'socket event handler failed', event, err }),
        );
      });
    }
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
