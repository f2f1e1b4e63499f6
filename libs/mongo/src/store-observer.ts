import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { StoreMetrics } from '@app/metrics';
import { Span, SpanKind, endSpan, startSpan, tracingOn } from '@app/tracing';
import { Connection, mongo } from 'mongoose';

/** Mongoose's `operation-start` / `operation-end` events: every collection method the service calls. */
interface Operation {
  _id: object;
  collectionName: string;
  method: string;
  result?: unknown;
  error?: unknown;
}

/**
 * Times every store operation into chat_store_op_duration_seconds{collection, op}, from mongoose's
 * own operation events (the driver's command monitoring would parse every reply a second time). A
 * method that answers a cursor (`find`, `aggregate`) is timed until the cursor is read to its end.
 * While tracing is on, each operation is also a client span of the request that made it (mongoose
 * emits `operation-start` in the caller's context), instead of the driver's instrumentation, which
 * would have to patch the driver before it loads.
 */
@Injectable()
export class StoreObserver implements OnModuleInit {
  private readonly started = new Map<object, number>();
  private readonly spans = new Map<object, Span>();

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly metrics: StoreMetrics,
  ) {}

  onModuleInit(): void {
    this.connection.on('operation-start', (op: Operation) => this.started.set(op._id, performance.now()));
    this.connection.on('operation-end', (op: Operation) => this.end(op));
    if (tracingOn()) this.connection.prependListener('operation-start', (op: Operation) => this.trace(op));
  }

  private trace(op: Operation): void {
    const span = startSpan(`${op.method} ${op.collectionName}`, SpanKind.CLIENT, {
      'db.system.name': 'mongodb',
      'db.collection.name': op.collectionName,
      'db.operation.name': op.method,
    });
    if (span) this.spans.set(op._id, span);
  }

  private end(op: Operation): void {
    const started = this.started.get(op._id);
    if (started === undefined) return;
    this.started.delete(op._id);
    const span = this.spans.get(op._id);
    if (span) this.spans.delete(op._id);
    const series = this.metrics.of(op.collectionName, op.method);
    const done = () => {
      series.observe((performance.now() - started) / 1000);
      endSpan(span, op.error);
    };
    if (op.result instanceof mongo.AbstractCursor) {
      op.result.once('close', done);
      return;
    }
    done();
  }
}
