import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { BearerStrategy } from './bearer.strategy';
import { SessionService } from './session.service';
import { SidCookieStrategy } from './sid-cookie.strategy';

@Module({
  imports: [PassportModule.register({ session: false })],
  controllers: [AuthController],
  providers: [SessionService, AuthService, BearerStrategy, SidCookieStrategy],
  exports: [SessionService, PassportModule],
})
export class AuthModule {}
