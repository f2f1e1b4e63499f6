import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus registry: process defaults plus the chat edge's own series. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly socketsConnected = new Gauge({
    name: 'chat_sockets_connected',
    help: 'Socket.IO connections currently open on this gateway',
    registers: [this.registry],
  });

  readonly roomSubscriptions = new Gauge({
    name: 'chat_room_subscriptions',
    help: 'Chat rooms this gateway is subscribed to on NATS (rooms some local socket is in)',
    registers: [this.registry],
  });

  readonly messagesIn = new Counter({
    name: 'chat_messages_in_total',
    help: 'Messages sent by this gateway sockets and acknowledged as stored',
    registers: [this.registry],
  });

  readonly messagesOut = new Counter({
    name: 'chat_messages_out_total',
    help: 'message:new events emitted to sockets of this gateway (one per socket)',
    registers: [this.registry],
  });

  readonly fanoutLatency = new Histogram({
    name: 'chat_fanout_latency_seconds',
    help: 'From message createdAt to its emission to local sockets',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
