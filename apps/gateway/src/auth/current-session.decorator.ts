import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import { SessionView } from '@app/contracts';
import type { Request } from 'express';

/** The session `SessionAuthGuard` verified for this request. */
export const CurrentSession = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): SessionView => ctx.switchToHttp().getRequest<Request>().user as SessionView,
);
