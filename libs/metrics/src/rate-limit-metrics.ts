import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from './metrics-registry';

/** chat_rate_limit_refusals_total{limit}: requests refused RATE_LIMITED, by the limit that refused them. */
@Injectable()
export class RateLimitMetrics {
  private readonly refusals: Counter<'limit'>;
  private readonly children = new Map<string, Counter.Internal>();

  constructor(metrics: MetricsRegistry) {
    this.refusals = new Counter({
      name: 'chat_rate_limit_refusals_total',
      help: 'Requests refused with RATE_LIMITED, by limit (send, login_pair, handshakes…)',
      labelNames: ['limit'],
      registers: [metrics.registry],
    });
  }

  refused(limit: string): void {
    let child = this.children.get(limit);
    if (child === undefined) this.children.set(limit, (child = this.refusals.labels(limit)));
    child.inc();
  }
}
