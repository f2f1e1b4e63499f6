import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { StoreObserver } from '@app/mongo';
import { NatsModule } from '@app/nats';
import { RateLimitService } from './common/rate-limit.service';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MembershipModule } from './membership/membership.module';
import { MessageModule } from './message/message.module';
import { MessageConfig, instanceNameOf } from './message.config';
import { RoomModule } from './room/room.module';

@Module({})
export class AppModule {
  static forRoot(config: MessageConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        NatsModule.forRoot({
          url: config.NATS_URL,
          name: `${instanceNameOf(config)}-events`,
          rpcTimeoutMs: config.RPC_TIMEOUT_MS,
        }),
        // Indexes are created explicitly at boot (DatabaseModule), where a failure stops the process.
        MongooseModule.forRoot(config.MONGO_URL, {
          autoIndex: false,
          autoCreate: false,
          serverSelectionTimeoutMS: 5000,
          retryAttempts: 5,
          retryDelay: 1000,
        }),
        DatabaseModule,
        MembershipModule,
        RoomModule,
        MessageModule,
        HealthModule,
      ],
      providers: [{ provide: MessageConfig, useValue: config }, RateLimitService, StoreObserver],
      exports: [MessageConfig, RateLimitService],
    };
  }
}
