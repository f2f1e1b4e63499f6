import { NatsOptions } from '@nestjs/microservices';
import { SafeRequestDeserializer } from './safe-request.deserializer';

/**
 * Transport options of a request service (auth, message): reconnect forever, give requests in
 * flight `gracePeriodMs` after the subscriptions close, and answer non-JSON packets instead of dying.
 */
export function natsServerOptions(opts: {
  url: string;
  name: string;
  gracePeriodMs: number;
}): Required<NatsOptions>['options'] {
  return {
    servers: opts.url.split(',').map((s) => s.trim()),
    name: opts.name,
    gracefulShutdown: true,
    noAsyncTraces: true,
    gracePeriod: opts.gracePeriodMs,
    waitOnFirstConnect: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    deserializer: new SafeRequestDeserializer(),
  };
}
