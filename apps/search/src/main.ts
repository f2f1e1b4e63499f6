import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { loadConfig } from '@app/config';
import { RpcErrorFilter, RpcValidationPipe } from '@app/errors';
import { createLogger } from '@app/logging';
import { natsServerOptions } from '@app/nats';
import { SearchConfig, instanceNameOf } from './search.config';
import { SearchModule } from './search.module';

/** Time given to requests in flight after the subscriptions close on shutdown. */
const SHUTDOWN_GRACE_MS = 1500;

async function bootstrap(): Promise<void> {
  let config: SearchConfig;
  try {
    config = loadConfig(SearchConfig);
  } catch (err) {
    process.stderr.write(`search: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger('search', config);
  process.on('unhandledRejection', (err) => logger.error({ msg: 'unhandled rejection', err }));
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(SearchModule.forRoot(config), {
    transport: Transport.NATS,
    options: natsServerOptions({
      url: config.NATS_URL,
      name: instanceNameOf(config),
      gracePeriodMs: SHUTDOWN_GRACE_MS,
    }),
    logger,
  });
  app.useGlobalFilters(new RpcErrorFilter());
  app.useGlobalPipes(new RpcValidationPipe());
  app.enableShutdownHooks();
  await app.listen();
  logger.log({ msg: 'search service ready', instance: instanceNameOf(config) });
}

bootstrap().catch((err: unknown) => {
  process.stderr.write(`search: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
