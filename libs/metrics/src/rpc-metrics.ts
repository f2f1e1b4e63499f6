import { Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { ChildCache } from './child-cache';
import { MetricsRegistry } from './metrics-registry';
import { Outcome } from './outcome';

/** Which end of a NATS request the observation was made at. */
export type RpcSide = 'client' | 'server';

type Child = Histogram.Internal<'side' | 'subject' | 'outcome'>;

/**
 * chat_rpc_duration_seconds{side, subject, outcome}: every NATS request, timed by the requester
 * (`client`: until the reply or the timeout) and by the service that handled it (`server`: from the
 * request's arrival to its reply). `side` tells them apart in a process that is both (message asks auth).
 */
@Injectable()
export class RpcMetrics {
  private readonly duration: Histogram<'side' | 'subject' | 'outcome'>;
  private readonly client: ChildCache<Child>;
  private readonly server: ChildCache<Child>;

  constructor(metrics: MetricsRegistry) {
    this.duration = new Histogram({
      name: 'chat_rpc_duration_seconds',
      help: 'NATS requests between services by subject and outcome (ok or the error code), timed at each end',
      labelNames: ['side', 'subject', 'outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [metrics.registry],
    });
    this.client = new ChildCache((subject, outcome) => this.duration.labels('client', subject, outcome));
    this.server = new ChildCache((subject, outcome) => this.duration.labels('server', subject, outcome));
  }

  observe(side: RpcSide, subject: string, outcome: Outcome, seconds: number): void {
    (side === 'client' ? this.client : this.server).get(subject, outcome).observe(seconds);
  }
}
