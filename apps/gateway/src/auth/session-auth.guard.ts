import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { clientAddress } from '../common/client-address';
import { OriginPolicy } from '../common/origin-policy';
import { RateLimitsService } from '../common/rate-limits.service';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A bearer token or, failing that, the `sid` cookie; neither valid → 401 UNAUTHORIZED. A request
 * that changes something on the strength of the cookie alone must come from an allowed origin
 * (OriginPolicy: 403 otherwise). Marks the request `exempt` when its address is in
 * RATE_LIMIT_EXEMPT (CurrentSession carries it on).
 */
@Injectable()
export class SessionAuthGuard extends AuthGuard(['bearer', 'sid-cookie']) {
  constructor(
    private readonly limits: RateLimitsService,
    private readonly origins: OriginPolicy,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const allowed = (await super.canActivate(context)) as boolean;
    const req = context.switchToHttp().getRequest<Request & { exempt?: boolean }>();
    const byCookie = !/^Bearer\s/i.test(req.headers.authorization ?? '');
    if (allowed && byCookie && !SAFE_METHODS.has(req.method)) this.origins.assert(req.headers.origin, req.headers.host);
    req.exempt = this.limits.isExempt(clientAddress(req));
    return allowed;
  }
}
