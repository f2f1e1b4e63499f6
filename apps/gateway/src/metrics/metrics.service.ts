import { Injectable } from '@nestjs/common';
import { ChildCache, MetricsRegistry, Outcome } from '@app/metrics';
import { Counter, Gauge, Histogram } from 'prom-client';

/** The chat edge's own series, in the process's registry (libs/metrics) beside the shared ones. */
@Injectable()
export class MetricsService {
  readonly socketsConnected: Gauge;
  readonly roomSubscriptions: Gauge;
  readonly messagesIn: Counter;
  readonly messagesOut: Counter;
  readonly fanoutLatency: Histogram;
  readonly seqGapFills: Counter;
  readonly seqSkips: Counter;
  private readonly socketEvents: ChildCache<Counter.Internal>;

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
    // Timed on this process's monotonic clock, from the NATS event's arrival: the message's createdAt
    // is another host's clock, whose skew would be measured along with the fan-out.
    this.fanoutLatency = new Histogram({
      name: 'chat_fanout_latency_seconds',
      help: "From this gateway's receipt of a message's NATS event to its emission to local sockets",
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.seqGapFills = new Counter({
      name: 'chat_seq_gap_fills_total',
      help: 'Sequence gaps in a room this gateway closed by reading the missed messages from history',
      registers,
    });
    this.seqSkips = new Counter({
      name: 'chat_seq_skips_total',
      help: 'Seqs this gateway gave up on when history could not fill a gap: messages its sockets never got live',
      registers,
    });
    const socketEvents = new Counter({
      name: 'chat_socket_events_total',
      help: 'Client socket events (and handshakes, event "connect") by outcome: ok or the error code answered',
      labelNames: ['event', 'outcome'],
      registers,
    });
    this.socketEvents = new ChildCache((event, outcome) => socketEvents.labels(event, outcome));
  }

  /** One client event answered, or one handshake accepted or refused (`event` from a fixed set). */
  socketEvent(event: string, outcome: Outcome): void {
    this.socketEvents.get(event, outcome).inc();
  }
}
