import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@app/config';
import { accessLog, createNestLogger, createRootLogger } from '@app/logging';
import { shutdownTracing, startTracing, traceHttp } from '@app/tracing';
import cookieParser from 'cookie-parser';
import { existsSync } from 'node:fs';
import { setupApiDocs } from './api-docs/api-docs';
import { AppModule } from './app.module';
import { contentEncoding } from './common/content-encoding';
import { OriginPolicy } from './common/origin-policy';
import { securityHeaders } from './common/security-headers';
import { parseTrustProxy } from './common/trust-proxy';
import { GatewayConfig } from './gateway.config';
import { ShutdownService } from './lifecycle/shutdown.service';
import { CorsIoAdapter } from './socket/cors-io.adapter';

async function bootstrap(): Promise<void> {
  let config: GatewayConfig;
  try {
    config = loadConfig(GatewayConfig);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  const root = createRootLogger('gateway', config);
  const tracing = startTracing('gateway', config);
  const logger = new Logger('Bootstrap');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: createNestLogger(root),
    bodyParser: false,
  });
  // First, so every request has its id and its access line, whatever answers it.
  app.use(accessLog(root));
  if (tracing) app.use(traceHttp());
  app.set('trust proxy', parseTrustProxy(config.TRUST_PROXY));
  app.disable('x-powered-by');
  // CORS is off unless ALLOWED_ORIGINS names origins (HTTP here; Socket.IO in RealtimeModule).
  const origins = new OriginPolicy(config.ALLOWED_ORIGINS).origins;
  if (origins.length > 0) app.enableCors({ origin: origins, credentials: true });
  app.useWebSocketAdapter(new CorsIoAdapter(app, origins));
  app.use(securityHeaders(config.COOKIE_SECURE));
  app.use(cookieParser());
  // Query strings stay flat (`a[b]=1` is the key "a[b]"): no nested objects, no prototype keys.
  app.set('query parser', 'simple');
  // Bodies are read after the session guard, by JsonBodyInterceptor (the contract's order of checks).
  app.use(contentEncoding);
  // OpenAPI: the UI at /api/docs, the document at /api/docs-json.
  setupApiDocs(app);
  if (existsSync(config.CLIENT_DIR)) {
    app.useStaticAssets(config.CLIENT_DIR, { index: 'index.html', redirect: false });
  } else {
    logger.warn(`No web client at ${config.CLIENT_DIR}; serving the API only`);
  }

  await app.listen(config.PORT, config.HOST);
  logger.log(
    `gateway listening on http://${config.HOST}:${config.PORT}${tracing ? ', traces exported over OTLP' : ''}`,
  );

  const shutdown = app.get(ShutdownService);
  const stop = (signal: string) => {
    // A close that hangs must not keep the process up forever.
    setTimeout(() => process.exit(1), config.SHUTDOWN_GRACE_MS * 2 + 5000).unref();
    shutdown.shutdown(app, signal).then(
      () => shutdownTracing().finally(() => process.exit(0)),
      (err: unknown) => {
        logger.error({ msg: 'shutdown failed', err });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

bootstrap().catch((err: unknown) => {
  new Logger('Bootstrap').error({ msg: 'gateway failed to start', err });
  process.exit(1);
});
