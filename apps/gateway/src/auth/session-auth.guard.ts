import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { clientAddress } from '../common/client-address';
import { RateLimitsService } from '../common/rate-limits.service';

/**
 * A bearer token or, failing that, the `sid` cookie; neither valid → 401 UNAUTHORIZED. Marks the
 * request `exempt` when its address is in RATE_LIMIT_EXEMPT (CurrentSession carries it on).
 */
@Injectable()
export class SessionAuthGuard extends AuthGuard(['bearer', 'sid-cookie']) {
  constructor(private readonly limits: RateLimitsService) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const allowed = (await super.canActivate(context)) as boolean;
    const req = context.switchToHttp().getRequest<Request & { exempt?: boolean }>();
    req.exempt = this.limits.isExempt(clientAddress(req));
    return allowed;
  }
}
