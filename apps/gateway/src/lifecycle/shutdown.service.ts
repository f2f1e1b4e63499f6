import { INestApplication, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { GatewayConfig } from '../gateway.config';
import { SocketDrainService } from '../socket/socket-drain.service';
import { DrainState } from './drain-state';

/**
 * SIGTERM/SIGINT: stop taking work (readyz 503, listener closed), send sockets elsewhere by
 * closing their transports once their acks are out (up to SHUTDOWN_GRACE_MS), then close Nest,
 * which drains NATS last.
 */
@Injectable()
export class ShutdownService {
  private readonly logger = new Logger(ShutdownService.name);

  constructor(
    private readonly drain: DrainState,
    private readonly sockets: SocketDrainService,
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: GatewayConfig,
  ) {}

  async shutdown(app: INestApplication, signal: string): Promise<void> {
    if (this.drain.stopping) return;
    this.drain.begin();
    this.logger.log({ msg: 'shutting down', signal });
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    server.close();
    server.closeIdleConnections();
    await this.sockets.closeAll(this.config.SHUTDOWN_GRACE_MS);
    // Requests still running get the rest of the grace period, then their connections go.
    const force = setTimeout(() => server.closeAllConnections(), this.config.SHUTDOWN_GRACE_MS);
    force.unref();
    await app.close();
    clearTimeout(force);
    this.logger.log({ msg: 'stopped' });
  }
}
