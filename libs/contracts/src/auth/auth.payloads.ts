import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN } from '../rules';
import { CodePoints, NoControlChars } from '../validators';
import { SessionView, UserView } from '../views';

/** `POST /api/auth/register`'s body. */
export class RegisterBody {
  @ApiProperty({ pattern: USERNAME_PATTERN.source, example: 'alice' })
  @IsString()
  @Matches(USERNAME_PATTERN, { message: 'username must be 3 to 32 characters of A-Z, a-z, 0-9, "_", "." and "-"' })
  username!: string;

  @ApiProperty({
    minLength: PASSWORD_MIN,
    maxLength: PASSWORD_MAX,
    description: 'Lengths count Unicode code points; no control characters',
    example: 'correct horse battery',
  })
  @IsString()
  @CodePoints(PASSWORD_MIN, PASSWORD_MAX)
  @NoControlChars()
  password!: string;
}

export class RegisterRequest extends RegisterBody {
  /** The caller's address as the gateway saw it, for the per-address registration limit. */
  @IsString()
  @MaxLength(128)
  clientIp!: string;

  /** No limit applies (an address in RATE_LIMIT_EXEMPT). */
  @IsOptional()
  @IsBoolean()
  exempt?: boolean;
}
/** `{user}`: the answer of `POST /api/auth/register` and `GET /api/auth/me`. */
export class UserReply {
  @ApiProperty({ type: () => UserView })
  user!: UserView;
}
export class RegisterReply extends UserReply {}

/** Body of `POST /api/auth/login`: loose on purpose, a wrong shape of credential is just a wrong credential. */
export class Credentials {
  @ApiProperty({ minLength: 1, maxLength: 512, example: 'alice' })
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  username!: string;

  @ApiProperty({ minLength: 1, maxLength: 1024, example: 'correct horse battery' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class LoginRequest extends Credentials {
  /** The caller's address as the gateway saw it, for the per-address failure limit. */
  @IsString()
  @MaxLength(128)
  clientIp!: string;

  /** No limit applies (an address in RATE_LIMIT_EXEMPT). */
  @IsOptional()
  @IsBoolean()
  exempt?: boolean;
}
export class LoginReply {
  @ApiProperty({ description: 'Bearer token of the new session (also set as the sid cookie)' })
  token!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({ type: () => UserView })
  user!: UserView;
}

export class LogoutRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  sessionId!: string;
}
export type LogoutReply = Record<string, never>;

export class VerifySessionRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  token!: string;
}
export type VerifySessionReply = SessionView;

export class ResolveUsersRequest {
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  usernames!: string[];
}
/** The users found, in no particular order; a name that matches nobody is simply absent. */
export interface ResolveUsersReply {
  users: UserView[];
}

/** Broadcast to every gateway when a session ends. */
export interface SessionRevokedEvent {
  sessionId: string;
  userId: string;
}
