import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DatabaseModule } from '../database/database.module';
import { LoginLimit, LoginLimitSchema } from './login-limit.schema';
import { LoginThrottleService } from './login-throttle.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: LoginLimit.name, schema: LoginLimitSchema }]), DatabaseModule],
  providers: [LoginThrottleService],
  exports: [LoginThrottleService],
})
export class LoginThrottleModule {}
