import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@app/metrics';
import { Counter, Gauge, Histogram } from 'prom-client';

/** The chat edge's own series, in the process's registry (libs/metrics) beside the shared ones. */
@Injectable()
export class MetricsService {
  readonly socketsConnected: Gauge;
  readonly roomSubscriptions: Gauge;
  readonly messagesIn: Counter;
  readonly messagesOut: Counter;
  readonly fanoutLatency: Histogram;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.socketsConnected = new Gauge({
      name: 'chat_sockets_connected',
      help: 'Socket.IO connections currently open on this gateway',
      registers,
    });
    this.roomSubscriptions = new Gauge({
      name: 'chat_room_subscriptions',
      help: 'Chat rooms this gateway is subscribed to on NATS (rooms some local socket is in)',
      registers,
    });
    this.messagesIn = new Counter({
      name: 'chat_messages_in_total',
      help: 'Messages sent by this gateway sockets and acknowledged as stored',
      registers,
    });
    this.messagesOut = new Counter({
      name: 'chat_messages_out_total',
      help: 'message:new events emitted to sockets of this gateway (one per socket)',
      registers,
    });
    this.fanoutLatency = new Histogram({
      name: 'chat_fanout_latency_seconds',
      help: 'From message createdAt to its emission to local sockets',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
  }
}
