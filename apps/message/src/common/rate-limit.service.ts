import { Injectable } from '@nestjs/common';
import { parseRateLimit } from '@app/config';
import { ErrorCode, UserRef } from '@app/contracts';
import { DomainError } from '@app/errors';
import { RateLimitMetrics } from '@app/metrics';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { MessageConfig } from '../message.config';

export type LimitedAction = 'send' | 'edit' | 'roomCreate' | 'dmOpen' | 'upload' | 'uploadMib';

const MESSAGES: Record<LimitedAction, string> = {
  send: 'You are sending messages too fast, slow down',
  edit: 'You are editing messages too fast, slow down',
  roomCreate: 'You are creating rooms too fast, try again later',
  dmOpen: 'You are opening conversations too fast, try again later',
  upload: 'Too many uploads, try again later',
  uploadMib: 'Too much uploaded, try again later',
};

/** The `limit` label of chat_rate_limit_refusals_total, named after the variable (RATE_LIMIT_ROOM_CREATE → room_create). */
const LIMIT_NAMES: Record<LimitedAction, string> = {
  send: 'send',
  edit: 'edit',
  roomCreate: 'room_create',
  dmOpen: 'dm_open',
  upload: 'uploads',
  uploadMib: 'upload_mib',
};

/**
 * Per-user limits of the actions this service serves, counted by rate-limiter-flexible in memory:
 * every gateway's requests meet here, so a user spreading over gateways is counted once. Several
 * message instances each count the requests they serve (their queue groups spread a user's
 * requests): the limit then is per instance. A request marked `exempt` (RATE_LIMIT_EXEMPT at the
 * gateway) is never limited.
 */
@Injectable()
export class RateLimitService {
  private readonly limiters: Record<LimitedAction, RateLimiterMemory>;

  constructor(
    config: MessageConfig,
    private readonly metrics: RateLimitMetrics,
  ) {
    const make = (value: string) => {
      const { points, seconds } = parseRateLimit(value);
      return new RateLimiterMemory({ points, duration: seconds });
    };
    this.limiters = {
      send: make(config.RATE_LIMIT_SEND),
      edit: make(config.RATE_LIMIT_EDIT),
      roomCreate: make(config.RATE_LIMIT_ROOM_CREATE),
      dmOpen: make(config.RATE_LIMIT_DM_OPEN),
      upload: make(config.RATE_LIMIT_UPLOADS),
      uploadMib: make(config.RATE_LIMIT_UPLOAD_MIB),
    };
  }

  /** Counts `points` of `action` for the actor, or throws RATE_LIMITED (with the wait). */
  async consume(actor: UserRef, action: LimitedAction, points = 1): Promise<void> {
    if (actor.exempt) return;
    try {
      await this.limiters[action].consume(actor.id, points);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      this.metrics.refused(LIMIT_NAMES[action]);
      throw new DomainError(ErrorCode.RATE_LIMITED, MESSAGES[action], Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    }
  }
}
