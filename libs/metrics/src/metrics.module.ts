import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics-registry';
import { NatsMetrics } from './nats-metrics';
import { RateLimitMetrics } from './rate-limit-metrics';
import { RpcMetrics } from './rpc-metrics';
import { StoreMetrics } from './store-metrics';

/** The registry, the series every service shares, and GET /metrics on the process's HTTP port. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsRegistry, RpcMetrics, NatsMetrics, StoreMetrics, RateLimitMetrics],
  exports: [MetricsRegistry, RpcMetrics, NatsMetrics, StoreMetrics, RateLimitMetrics],
})
export class MetricsModule {}
