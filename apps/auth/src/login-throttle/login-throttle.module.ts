import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DatabaseModule } from '../database/database.module';
import { LoginLimit, LoginLimitSchema } from './login-limit.schema';
import { LimitCounters } from './limit-counters';
import { LoginThrottleService } from './login-throttle.service';
import { RegisterLimitService } from './register-limit.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: LoginLimit.name, schema: LoginLimitSchema }]), DatabaseModule],
  providers: [LimitCounters, LoginThrottleService, RegisterLimitService],
  exports: [LoginThrottleService, RegisterLimitService],
})
export class LoginThrottleModule {}
