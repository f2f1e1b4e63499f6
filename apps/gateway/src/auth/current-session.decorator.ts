import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { SessionView } from '@app/contracts';
import type { Request } from 'express';

/**
 * The session `SessionAuthGuard` verified for this request; its user carries `exempt` when the
 * request came from an address in RATE_LIMIT_EXEMPT (for the services' limits; never shown to a client).
 */
export const CurrentSession = createParamDecorator((_: unknown, ctx: ExecutionContext): SessionView => {
  const req = ctx.switchToHttp().getRequest<Request & { exempt?: boolean }>();
  const session = req.user as SessionView;
  return req.exempt ? { ...session, user: { ...session.user, exempt: true } as SessionView['user'] } : session;
});
