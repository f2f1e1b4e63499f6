import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import { json } from 'body-parser';
import type { Request, RequestHandler, Response } from 'express';
import { Observable, from, switchMap } from 'rxjs';
import { isKnownIdShape } from './ids';

/** JSON bodies above this are 413: the largest legitimate one (a 4000-character message) is far below. */
export const JSON_LIMIT = '64kb';

const parseJson: RequestHandler = json({ limit: JSON_LIMIT, type: ['application/json', 'application/*+json'] });

/** Whether the route handler takes a `@Body()` (the routes that take none ignore any body sent). */
function takesBody(context: ExecutionContext): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ??
    {}) as Record<string, unknown>;
  return Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY));
}

/**
 * Reads JSON bodies after the session guard, so that a request is judged in the contract's order:
 * its session (401), then its ids (404: a path id of a shape we never issue), then its body (415 for
 * another content type, 413, 400). Routes that take no body never read one: a body sent to
 * `GET /api/auth/me` or `POST …/join` is ignored. Decoding (`Content-Encoding`) and the size limit
 * are body-parser's: the limit counts decoded bytes, so a small compressed bomb is 413.
 */
@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http' || !takesBody(context)) return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    for (const id of Object.values(req.params ?? {})) {
      if (!isKnownIdShape(id)) throw DomainError.notFound('Not found');
    }
    return from(readJson(req, res)).pipe(switchMap(() => next.handle()));
  }
}

function readJson(req: Request, res: Response): Promise<void> {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    return Promise.reject(new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Content-Type must be application/json'));
  }
  return new Promise((resolve, reject) =>
    parseJson(req, res, (err?: unknown) =>
      err ? reject(err instanceof Error ? err : new Error('body parsing failed')) : resolve(),
    ),
  );
}
