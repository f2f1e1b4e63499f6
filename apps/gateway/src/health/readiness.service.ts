import { Inject, Injectable } from '@nestjs/common';
import { AuthSubject, ChatSubject } from '@app/contracts';
import { DomainError } from '@app/errors';
import { NATS_CONNECTION, RpcClient } from '@app/nats';
import type { NatsConnection } from 'nats';
import { GatewayConfig } from '../gateway.config';
import { DrainState } from '../lifecycle/drain-state';

const PROBE_TIMEOUT_MS = 2000;

/** Ready = not shutting down, NATS connected, and both services answering their health probe. */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly drain: DrainState,
    private readonly config: GatewayConfig,
  ) {}

  async check(): Promise<void> {
    if (this.drain.stopping) throw DomainError.unavailable('Shutting down');
    if (this.nc.isClosed()) throw DomainError.unavailable('Not connected to NATS');
    const timeoutMs = Math.min(PROBE_TIMEOUT_MS, this.config.RPC_TIMEOUT_MS);
    await Promise.all([
      this.rpc.request(AuthSubject.Health, {}, { timeoutMs }),
      this.rpc.request(ChatSubject.Health, {}, { timeoutMs }),
    ]);
  }
}
