import { DynamicModule, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestMicroservice } from '@nestjs/microservices';
import { ServiceConfig, loadConfig } from '@app/config';
import { ErrorTranslation, RpcErrorFilter, RpcValidationPipe } from '@app/errors';
import { ProbesModule, ReadinessCheck } from '@app/health';
import { createNestLogger, createRootLogger } from '@app/logging';
import { MetricsModule, NatsMetrics, RpcMetrics } from '@app/metrics';
import { TracingShutdown, startTracing } from '@app/tracing';
import type { ClassConstructor } from 'class-transformer';
import type { AddressInfo, Server } from 'node:net';
import { natsServerOptions } from './nats-server.options';
import { NATS_SERVER, RequestServer } from './nats-server';
import { NatsReadiness } from './nats-readiness';

/** Time given to requests in flight after the subscriptions close on shutdown. */
export const SHUTDOWN_GRACE_MS = 1500;

export interface ServiceDefinition<C extends ServiceConfig> {
  /** Names the service in logs ("auth", "message", "search"). */
  name: string;
  config: ClassConstructor<C>;
  module: (config: C) => DynamicModule;
  instanceName: (config: C) => string;
  /** Errors other than DomainErrors the service can name (a database outage: UNAVAILABLE). */
  errors?: ErrorTranslation;
  /** What /readyz checks besides NATS (the store, the index). */
  readiness?: Type<ReadinessCheck>[];
}

/** The service's own module, with its request transport, metrics and probes beside it. */
@Module({})
class ServiceRootModule {
  static of(service: DynamicModule, server: RequestServer, readiness: Type<ReadinessCheck>[]): DynamicModule {
    return {
      module: ServiceRootModule,
      global: true,
      imports: [MetricsModule, service, ProbesModule.forRoot([NatsReadiness, ...readiness])],
      providers: [{ provide: NATS_SERVER, useValue: server }, TracingShutdown],
      exports: [NATS_SERVER],
    };
  }
}

/**
 * Boots a request service on NATS, the same way for each: the validated config (a bad variable
 * stops the process, naming it), one logger, traces when OTEL_* variables ask for them, RPC validation and error mapping, graceful shutdown
 * (requests in flight finish within SHUTDOWN_GRACE_MS), and a small HTTP port of its own (OPS_PORT)
 * for /metrics, /healthz and /readyz. Any boot failure exits with status 1: a supervisor restarts
 * the service.
 */
export function bootstrapService<C extends ServiceConfig>(service: ServiceDefinition<C>): void {
  const run = async (): Promise<void> => {
    let config: C;
    try {
      config = loadConfig(service.config);
    } catch (err) {
      process.stderr.write(`${service.name}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
    const root = createRootLogger(service.name, config);
    if (startTracing(service.name, config)) root.info('traces exported over OTLP');
    const logger = createNestLogger(root);
    // One stray promise must not take down every request in flight: log it, keep serving.
    process.on('unhandledRejection', (err) => root.error({ err }, 'unhandled rejection'));
    const instance = service.instanceName(config);
    const server = new RequestServer(
      natsServerOptions({ url: config.NATS_URL, name: instance, gracePeriodMs: SHUTDOWN_GRACE_MS }),
    );
    const app = await NestFactory.create(
      ServiceRootModule.of(service.module(config), server, service.readiness ?? []),
      { logger },
    );
    // The request transport has its own filters and pipes (not the ops port's), so its
    // handlers are set up only once those are given; the application's init hooks run once, first.
    const requests = app.connectMicroservice({ strategy: server }, { deferInitialization: true });
    if (requests instanceof NestMicroservice) requests.setIsInitHookCalled(true);
    requests.useGlobalFilters(new RpcErrorFilter(service.errors));
    requests.useGlobalPipes(new RpcValidationPipe());
    server.observe(app.get(RpcMetrics), app.get(NatsMetrics));
    app.enableShutdownHooks();
    await app.init();
    await app.startAllMicroservices();
    await app.listen(config.OPS_PORT, config.OPS_HOST);
    const opsPort = (app.getHttpServer() as Server).address() as AddressInfo;
    root.info({ instance, opsPort: opsPort.port }, `${service.name} service ready`);
  };
  run().catch((err: unknown) => {
    // Boot failures (database unreachable, index creation refused…) are fatal.
    process.stderr.write(
      `${service.name} service failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}
