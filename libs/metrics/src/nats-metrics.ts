import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/** chat_nats_reconnects_total: reconnections of this process's NATS connections to a server. */
@Injectable()
export class NatsMetrics {
  readonly reconnects: Counter;

  constructor(metrics: MetricsRegistry) {
    this.reconnects = new Counter({
      name: 'chat_nats_reconnects_total',
      help: 'Reconnections of this process to NATS (events published meanwhile were missed)',
      registers: [metrics.registry],
    });
  }
}
