import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { ReadinessCheck } from '@app/health';
import type { NatsConnection } from 'nats';
import { NATS_SERVER, RequestServer } from './nats-server';
import { NATS_CONNECTION } from './nats.tokens';

/** How long a round trip to the NATS server may take before the service is not ready. */
const ROUND_TRIP_TIMEOUT_MS = 2000;

/**
 * Ready while each of this process's NATS connections (the one requests arrive on, and the one it
 * publishes and asks on) completes a round trip to its server: a connection that is closed, or
 * reconnecting, is not.
 */
@Injectable()
export class NatsReadiness implements ReadinessCheck {
  readonly name = 'nats';
  private readonly logger = new Logger(NatsReadiness.name);

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Optional() @Inject(NATS_SERVER) private readonly server?: RequestServer,
  ) {}

  async check(): Promise<void> {
    try {
      await Promise.all([roundTrip(this.nc), ...(this.server ? [roundTrip(this.server.connection())] : [])]);
    } catch (err) {
      this.logger.warn({ msg: 'NATS readiness check failed', err });
      throw err;
    }
  }
}

async function roundTrip(nc: NatsConnection): Promise<void> {
  if (nc.isClosed()) throw new Error('NATS connection closed');
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      nc.flush(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('NATS server did not answer in time')), ROUND_TRIP_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
