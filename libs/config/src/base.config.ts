import { IsIn, IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';

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

/** Variables of a request service (auth, message, search): its own small HTTP port for probes and metrics. */
export class ServiceConfig extends BaseConfig {
  /** `/metrics`, `/healthz` and `/readyz` of this process; 0 picks a free port (tests). */
  @IsInt()
  @Min(0)
  @Max(65535)
  OPS_PORT: number = 9464;

  /** Address the ops port listens on (`0.0.0.0` in containers, where Prometheus and the kubelet reach it). */
  @IsString()
  @MinLength(1)
  OPS_HOST: string = '127.0.0.1';
}

/** Variables of a service that owns data in MongoDB. */
export class MongoConfig extends ServiceConfig {
  @Matches(/^mongodb(\+srv)?:\/\/[^\s]+$/, { message: 'MONGO_URL must be a mongodb:// URL' })
  MONGO_URL = 'mongodb://127.0.0.1:27017/chat';
}
