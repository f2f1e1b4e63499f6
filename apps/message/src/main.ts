import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { loadConfig } from '@app/config';
import { RpcErrorFilter, RpcValidationPipe } from '@app/errors';
import { createLogger } from '@app/logging';
import { natsServerOptions } from '@app/nats';
import { AppModule } from './app.module';
import { DatabaseUnavailableInterceptor } from '@app/mongo';
import { MessageConfig, instanceNameOf } from './message.config';

/** Time given to requests in flight after the subscriptions close on shutdown. */
const SHUTDOWN_GRACE_MS = 1500;

async function bootstrap(): Promise<void> {
  let config: MessageConfig;
  try {
    config = loadConfig(MessageConfig);
  } catch (err) {
    process.stderr.write(`message: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger('message', config);
  // One stray promise must not take down every request in flight: log it, keep serving.
  process.on('unhandledRejection', (err) => logger.error({ msg: 'unhandled rejection', err }));
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule.forRoot(config), {
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
  app.useGlobalInterceptors(new DatabaseUnavailableInterceptor('The message store is unavailable'));
  app.enableShutdownHooks();
  await app.listen();
  logger.log({ msg: 'message service ready', instance: instanceNameOf(config) });
}

bootstrap().catch((err: unknown) => {
  // Boot failures (database unreachable, index creation refused…) are fatal: a supervisor restarts us.
  process.stderr.write(
    `message: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
