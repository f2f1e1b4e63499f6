import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DatabaseModule } from '../database/database.module';
import { LoginThrottleModule } from '../login-throttle/login-throttle.module';
import { PasswordHasher } from './password-hasher';
import { UserController } from './user.controller';
import { UserRepository } from './user.repository';
import { User, UserSchema } from './user.schema';
import { Username, UsernameSchema } from './username.schema';
import { UserService } from './user.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: User.name, schema: UserSchema },
      { name: Username.name, schema: UsernameSchema },
    ]),
    DatabaseModule,
    LoginThrottleModule,
  ],
  controllers: [UserController],
  providers: [UserRepository, UserService, PasswordHasher],
  exports: [UserService],
})
export class UserModule {}
