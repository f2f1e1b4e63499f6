import { IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Variables every service reads. */
export class BaseConfig {
  @Matches(/^(nats|tls|ws|wss):\/\/[^\s]+$/, {
    message: 'NATS_URL must be a nats:// URL (comma-separated for a cluster)',
  })
  NATS_URL = 'nats://127.0.0.1:4222';

  @IsIn(['debug', 'info', 'warn', 'error'])
  LOG_LEVEL: LogLevel = 'info';

  @IsIn(['text', 'json'])
  LOG_FORMAT: 'text' | 'json' = 'text';

  // The `: number` is load-bearing: its type metadata is what turns the env string into a number.
  @IsInt()
  @Min(100)
  @Max(120_000)
  RPC_TIMEOUT_MS: number = 5000;

  /** Names this process in logs and NATS connection names. */
  @IsString()
  INSTANCE_NAME = '';
}

/** Variables of a service that owns data in MongoDB. */
export class MongoConfig extends BaseConfig {
  @Matches(/^mongodb(\+srv)?:\/\/[^\s]+$/, { message: 'MONGO_URL must be a mongodb:// URL' })
  MONGO_URL = 'mongodb://127.0.0.1:27017/chat';
}
