import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DatabaseModule } from '../database/database.module';
import { LoginThrottleModule } from '../login-throttle/login-throttle.module';
import { UserModule } from '../user/user.module';
import { LoginService } from './login.service';
import { SessionController } from './session.controller';
import { SessionRepository } from './session.repository';
import { Session, SessionSchema } from './session.schema';
import { SessionService } from './session.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: Session.name, schema: SessionSchema }]),
    DatabaseModule,
    UserModule,
    LoginThrottleModule,
  ],
  controllers: [SessionController],
  providers: [SessionRepository, SessionService, LoginService],
})
export class SessionModule {}
