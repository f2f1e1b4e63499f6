import { Injectable } from '@nestjs/common';
import pLimit from 'p-limit';
import { GatewayConfig } from '../gateway.config';

/**
 * Admission for the handshake's store-bound work (the session, then the user's rooms): at most
 * HANDSHAKE_CONCURRENCY at once, the rest wait their turn in arrival order. Without it a reconnect
 * storm (hundreds of sockets of a killed gateway arriving together) put hundreds of room lists ahead
 * of every send in the message service's queue: send ack p99 392-476 ms -> 163-170 ms with 16.
 */
@Injectable()
export class HandshakeGate {
  private readonly limit: pLimit.Limit;

  constructor(config: GatewayConfig) {
    this.limit = pLimit(config.HANDSHAKE_CONCURRENCY);
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.limit(work);
  }
}
