import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LoginAttemptRepository } from './login-attempt.repository';
import { LoginAttempt, LoginAttemptSchema } from './login-attempt.schema';
import { LoginThrottleService } from './login-throttle.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: LoginAttempt.name, schema: LoginAttemptSchema }])],
  providers: [LoginAttemptRepository, LoginThrottleService],
  exports: [LoginThrottleService],
})
export class LoginThrottleModule {}
