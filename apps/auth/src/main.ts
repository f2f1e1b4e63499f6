import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { loadConfig } from '@app/config';
import { RpcErrorFilter, RpcValidationPipe } from '@app/errors';
import { createLogger } from '@app/logging';
import { natsServerOptions } from '@app/nats';
import { AuthConfig, instanceName } from './auth.config';
import { AuthModule } from './auth.module';
import { DatabaseUnavailableInterceptor } from '@app/mongo';

/** Time given to requests in flight after the subscriptions close on shutdown. */
const SHUTDOWN_GRACE_MS = 1500;

async function bootstrap(): Promise<void> {
  let config: AuthConfig;
  try {
    config = loadConfig(AuthConfig);
  } catch (err) {
    process.stderr.write(`auth: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const logger = createLogger('auth', config);
  // One stray promise must not take down every request in flight: log it, keep serving.
  process.on('unhandledRejection', (err) => logger.error({ msg: 'unhandled rejection', err }));
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(AuthModule.register(config), {
    transport: Transport.NATS,
    options: natsServerOptions({ url: config.NATS_URL, name: instanceName(config), gracePeriodMs: SHUTDOWN_GRACE_MS }),
    logger,
  });
  app.useGlobalFilters(new RpcErrorFilter());
  app.useGlobalPipes(new RpcValidationPipe());
  app.useGlobalInterceptors(new DatabaseUnavailableInterceptor('The auth database does not answer'));
  app.enableShutdownHooks();
  await app.listen();
  logger.log(`auth service ${instanceName(config)} is listening on NATS`);
}

bootstrap().catch((err: unknown) => {
  new Logger('auth').error({ msg: 'auth service failed to start', err });
  process.exit(1);
});
