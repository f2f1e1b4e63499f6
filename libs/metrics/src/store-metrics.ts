import { Injectable } from '@nestjs/common';
import { Histogram } from 'prom-client';
import { ChildCache } from './child-cache';
import { MetricsRegistry } from './metrics-registry';

/** chat_store_op_duration_seconds{collection, op}: each store operation, as the service waited for it. */
@Injectable()
export class StoreMetrics {
  private readonly children: ChildCache<Histogram.Internal<'collection' | 'op'>>;

  constructor(metrics: MetricsRegistry) {
    const duration = new Histogram({
      name: 'chat_store_op_duration_seconds',
      help: 'Store (MongoDB / FerretDB) operations by collection and driver method (a cursor: until it is read)',
      labelNames: ['collection', 'op'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [metrics.registry],
    });
    this.children = new ChildCache((collection, op) => duration.labels(collection, op));
  }

  /** The series of one collection and operation, to observe into. */
  of(collection: string, op: string): Histogram.Internal<'collection' | 'op'> {
    return this.children.get(collection, op);
  }
}
