import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LoginFailureRepository } from './login-failure.repository';
import { LoginFailure, LoginFailureSchema } from './login-failure.schema';
import { LoginThrottleService } from './login-throttle.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: LoginFailure.name, schema: LoginFailureSchema }])],
  providers: [LoginFailureRepository, LoginThrottleService],
  exports: [LoginThrottleService],
})
export class LoginThrottleModule {}
