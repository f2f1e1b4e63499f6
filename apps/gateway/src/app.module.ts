import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { NatsModule } from '@app/nats';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuthModule } from './auth/auth.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { HttpValidationPipe } from './common/http-validation.pipe';
import { JsonBodyInterceptor } from './common/json-body.interceptor';
import { OriginPolicy } from './common/origin-policy';
import { RateLimitsService } from './common/rate-limits.service';
import { GatewayConfig } from './gateway.config';
import { HealthModule } from './health/health.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { ShutdownService } from './lifecycle/shutdown.service';
import { MetricsModule } from './metrics/metrics.module';
import { RealtimeModule } from './realtime.module';
import { RoomsModule } from './rooms/rooms.module';
import { SearchModule } from './search/search.module';

@Module({})
export class AppModule {
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
        SearchModule,
        AttachmentsModule,
        RealtimeModule,
        HealthModule,
      ],
      providers: [
        { provide: GatewayConfig, useValue: config },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        { provide: APP_PIPE, useClass: HttpValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: JsonBodyInterceptor },
        RateLimitsService,
        { provide: OriginPolicy, useValue: new OriginPolicy(config.ALLOWED_ORIGINS) },
        ShutdownService,
      ],
      exports: [GatewayConfig, RateLimitsService, OriginPolicy],
    };
  }
}
