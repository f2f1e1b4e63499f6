import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventOf } from '@app/contracts';
import { Events, JSONCodec, NatsConnection, Subscription } from 'nats';
import { Origin, headersOf, withOriginOf } from './message-context';
import { NATS_CONNECTION } from './nats.tokens';

const codec = JSONCodec<unknown>();

/**
 * Typed fan-out over plain NATS subjects. Subscriptions are never in a queue group: every
 * subscriber hears every event. An event published as part of a request carries its id in a header,
 * and is handled inside that request's context wherever it is heard.
 */
@Injectable()
export class EventBus {
  private readonly logger = new Logger(EventBus.name);

  constructor(@Inject(NATS_CONNECTION) private readonly nc: NatsConnection) {}

  /** `origin`: the request the event belongs to, when it is published outside that request's context (a batch). */
  publish<S extends string>(subject: S, event: EventOf<S>, origin?: Origin): void {
    this.nc.publish(subject, codec.encode(event), { headers: headersOf(origin) });
  }

  /** Calls `handler` for each event, in arrival order; a throwing handler is logged, never fatal. */
  subscribe<S extends string>(subject: S, handler: (event: EventOf<S>, subject: string) => void): Subscription {
    return this.nc.subscribe(subject, {
      callback: (err, msg) => {
        if (err) {
          this.logger.warn({ msg: 'subscription error', subject, err });
          return;
        }
        withOriginOf(msg.subject, msg.headers, () => {
          try {
            handler(codec.decode(msg.data) as EventOf<S>, msg.subject);
          } catch (e) {
            this.logger.error({ msg: 'event handler failed', subject: msg.subject, err: e });
          }
        });
      },
    });
  }

  /** Calls `handler` after each reconnection to NATS: events published meanwhile were missed. */
  onReconnect(handler: () => void): void {
    void (async () => {
      for await (const status of this.nc.status()) if (status.type === Events.Reconnect) handler();
    })();
  }

  /** Resolves once the server has seen everything sent so far (subscriptions included). */
  async flush(): Promise<void> {
    await this.nc.flush();
  }
}
