import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { ServiceConfig } from '@app/config';

/** Environment of the search service: NATS only (its index is a local file), and where the index lives. */
export class SearchConfig extends ServiceConfig {
  /** Directory of the index file (`<instance>.sqlite`): keep it on a volume, or the index is rebuilt. */
  @IsString()
  @MinLength(1)
  SEARCH_DATA_DIR = '.data/search';

  /** How long the JetStream stream keeps room events: how long an index may be down and still catch up. */
  @IsInt()
  @Min(1)
  @Max(365)
  SEARCH_RETENTION_DAYS: number = 30;

  /** The most disk the stream takes, in MiB: past it the oldest events go first (it never grows unbounded). */
  @IsInt()
  @Min(16)
  SEARCH_STREAM_MAX_MB: number = 1024;

  /** The host's name (a container's, a pod's): the instance name when INSTANCE_NAME is not set. */
  @IsString()
  HOSTNAME = 'local';
}

/**
 * Names this instance in logs, in its index file and in its durable consumer: it must stay the same
 * across restarts (else a restarted instance starts a new index), so the host name by default.
 */
export function instanceNameOf(config: SearchConfig): string {
  return (config.INSTANCE_NAME || `search-${config.HOSTNAME}`).replace(/[^A-Za-z0-9_-]/g, '_');
}
