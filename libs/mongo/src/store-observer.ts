import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { StoreMetrics } from '@app/metrics';
import { Connection, mongo } from 'mongoose';

/** Mongoose's `operation-start` / `operation-end` events: every collection method the service calls. */
interface Operation {
  _id: object;
  collectionName: string;
  method: string;
  result?: unknown;
}

/**
 * Times every store operation into chat_store_op_duration_seconds{collection, op}, from mongoose's
 * own operation events (the driver's command monitoring would parse every reply a second time). A
 * method that answers a cursor (`find`, `aggregate`) is timed until the cursor is read to its end.
 */
@Injectable()
export class StoreObserver implements OnModuleInit {
  private readonly started = new Map<object, number>();

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly metrics: StoreMetrics,
  ) {}

  onModuleInit(): void {
    this.connection.on('operation-start', (op: Operation) => this.started.set(op._id, performance.now()));
    this.connection.on('operation-end', (op: Operation) => this.end(op));
  }

  private end(op: Operation): void {
    const started = this.started.get(op._id);
    if (started === undefined) return;
    this.started.delete(op._id);
    const series = this.metrics.of(op.collectionName, op.method);
    if (op.result instanceof mongo.AbstractCursor) {
      op.result.once('close', () => series.observe((performance.now() - started) / 1000));
      return;
    }
    series.observe((performance.now() - started) / 1000);
  }
}
