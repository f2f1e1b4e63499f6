import { DynamicModule, NestInterceptor } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { BaseConfig, loadConfig } from '@app/config';
import { RpcErrorFilter, RpcValidationPipe } from '@app/errors';
import { createLogger } from '@app/logging';
import type { ClassConstructor } from 'class-transformer';
import { natsServerOptions } from './nats-server.options';

/** Time given to requests in flight after the subscriptions close on shutdown. */
export const SHUTDOWN_GRACE_MS = 1500;

export interface ServiceDefinition<C extends BaseConfig> {
  /** Names the service in logs ("auth", "message", "search"). */
  name: string;
  config: ClassConstructor<C>;
  module: (config: C) => DynamicModule;
  instanceName: (config: C) => string;
  interceptors?: NestInterceptor[];
}

/**
 * Boots a request service on NATS, the same way for each: the validated config (a bad variable
 * stops the process, naming it), one logger, RPC validation and error mapping, graceful shutdown
 * (requests in flight finish within SHUTDOWN_GRACE_MS). Any boot failure exits with status 1: a
 * supervisor restarts the service.
 */
export function bootstrapService<C extends BaseConfig>(service: ServiceDefinition<C>): void {
  const run = async (): Promise<void> => {
    let config: C;
    try {
      config = loadConfig(service.config);
    } catch (err) {
      process.stderr.write(`${service.name}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
    const logger = createLogger(service.name, config);
    // One stray promise must not take down every request in flight: log it, keep serving.
    process.on('unhandledRejection', (err) => logger.error({ msg: 'unhandled rejection', err }));
    const instance = service.instanceName(config);
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(service.module(config), {
      transport: Transport.NATS,
      options: natsServerOptions({ url: config.NATS_URL, name: instance, gracePeriodMs: SHUTDOWN_GRACE_MS }),
      logger,
    });
    app.useGlobalFilters(new RpcErrorFilter());
    app.useGlobalPipes(new RpcValidationPipe());
    if (service.interceptors?.length) app.useGlobalInterceptors(...service.interceptors);
    app.enableShutdownHooks();
    await app.listen();
    logger.log({ msg: `${service.name} service ready`, instance });
  };
  run().catch((err: unknown) => {
    // Boot failures (database unreachable, index creation refused…) are fatal.
    process.stderr.write(
      `${service.name} service failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}
