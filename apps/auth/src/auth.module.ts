import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { StoreObserver } from '@app/mongo';
import { NatsModule } from '@app/nats';
import { AuthConfig, instanceName } from './auth.config';
import { HealthModule } from './health/health.module';
import { SessionModule } from './session/session.module';
import { UserModule } from './user/user.module';

/** The config object itself is the injection token: `constructor(private readonly config: AuthConfig)`. */
@Module({})
class AuthConfigModule {}

@Module({})
export class AuthModule {
  static register(config: AuthConfig): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        {
          module: AuthConfigModule,
          global: true,
          providers: [{ provide: AuthConfig, useValue: config }],
          exports: [AuthConfig],
        },
        NatsModule.forRoot({
          url: config.NATS_URL,
          name: `${instanceName(config)}-events`,
          rpcTimeoutMs: config.RPC_TIMEOUT_MS,
        }),
        MongooseModule.forRoot(config.MONGO_URL, {
          // Indexes are created by the repositories at boot, where a failure stops the process.
          autoIndex: false,
          serverSelectionTimeoutMS: 5000,
          retryAttempts: 5,
          retryDelay: 2000,
        }),
        HealthModule,
        UserModule,
        SessionModule,
      ],
      providers: [StoreObserver],
    };
  }
}
