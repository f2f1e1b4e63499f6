import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { NatsModule } from '@app/nats';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuthModule } from './auth/auth.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { HttpValidationPipe } from './common/http-validation.pipe';
import { JsonContentTypeMiddleware } from './common/json-content-type.middleware';
import { GatewayConfig } from './gateway.config';
import { HealthModule } from './health/health.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { ShutdownService } from './lifecycle/shutdown.service';
import { MetricsModule } from './metrics/metrics.module';
import { RealtimeModule } from './realtime/realtime.module';
import { RoomsModule } from './rooms/rooms.module';

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        NatsModule.forRoot({
          url: config.NATS_URL,
          name: `gateway${config.INSTANCE_NAME ? `-${config.INSTANCE_NAME}` : ''}-${process.pid}`,
          rpcTimeoutMs: config.RPC_TIMEOUT_MS,
        }),
        LifecycleModule,
        MetricsModule,
        AuthModule,
        RoomsModule,
        AttachmentsModule,
        RealtimeModule,
        HealthModule,
      ],
      providers: [
        { provide: GatewayConfig, useValue: config },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_PIPE, useClass: HttpValidationPipe },
        ShutdownService,
      ],
      exports: [GatewayConfig],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonContentTypeMiddleware).forRoutes({ path: 'api/*path', method: RequestMethod.ALL });
  }
}
