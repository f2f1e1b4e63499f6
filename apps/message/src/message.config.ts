import { IsInt, Min } from 'class-validator';
import { IsRateLimit, MongoConfig } from '@app/config';

/**
 * Environment of the message service: the shared variables, its MongoDB URL, and the limits of the
 * actions it serves, each `<points>/<seconds>` per user (RateLimitService).
 */
export class MessageConfig extends MongoConfig {
  @IsRateLimit()
  RATE_LIMIT_SEND: string = '30/10';

  @IsRateLimit()
  RATE_LIMIT_EDIT: string = '30/60';

  @IsRateLimit()
  RATE_LIMIT_ROOM_CREATE: string = '10/600';

  @IsRateLimit()
  RATE_LIMIT_DM_OPEN: string = '60/600';

  /** Uploads begun. */
  @IsRateLimit()
  RATE_LIMIT_UPLOADS: string = '30/600';

  /** Seconds an upload no message carries is kept (then its bytes are deleted). */
  @IsInt()
  @Min(1)
  ATTACHMENT_UNUSED_TTL_SECONDS: number = 86_400;

  /** Upload volume, in MiB (a file counts its size rounded up to whole MiB). */
  @IsRateLimit()
  RATE_LIMIT_UPLOAD_MIB: string = '200/600';
}

/** Names this process in logs, NATS connections and health replies. */
export function instanceNameOf(config: MessageConfig): string {
  return config.INSTANCE_NAME || `message-${process.pid}`;
}
