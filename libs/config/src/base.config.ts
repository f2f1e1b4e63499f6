import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type OtlpProtocol = '' | 'http/protobuf' | 'http/json';

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

  // OpenTelemetry, by its standard variables; traces are off unless an OTLP endpoint or exporter is named.
  // The exporter reads the rest itself (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, OTEL_BSP_*, OTEL_TRACES_SAMPLER…).
  @Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
    const raw = obj[key]; // the env string, before implicit conversion made `Boolean('false')` of it
    return raw === 'true' ? true : raw === 'false' ? false : raw;
  })
  @IsBoolean()
  OTEL_SDK_DISABLED: boolean = false;

  @IsIn(['', 'otlp', 'none'], { message: 'OTEL_TRACES_EXPORTER must be otlp or none' })
  OTEL_TRACES_EXPORTER: '' | 'otlp' | 'none' = '';

  @Matches(/^(https?:\/\/\S+)?$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT = '';

  @Matches(/^(https?:\/\/\S+)?$/, { message: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = '';

  /** OTLP over HTTP, protobuf (the standard's default) or JSON bodies; gRPC is refused, not ignored. */
  @IsIn(['', 'http/protobuf', 'http/json'], {
    message: 'OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json (no gRPC exporter is shipped)',
  })
  OTEL_EXPORTER_OTLP_PROTOCOL: OtlpProtocol = '';

  @IsIn(['', 'http/protobuf', 'http/json'], {
    message: 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL must be http/protobuf or http/json (no gRPC exporter is shipped)',
  })
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: OtlpProtocol = '';

  /** Names the service in traces; by default the service's own name (gateway, auth, message, search). */
  @IsString()
  OTEL_SERVICE_NAME = '';
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
