import { Injectable, NestMiddleware } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import type { NextFunction, Request, Response } from 'express';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
/** The one route that takes a file: multipart/form-data there, JSON everywhere else. */
const UPLOAD_PATH = /^\/api\/rooms\/[^/]+\/attachments\/?$/;

/** The API speaks JSON only (uploads aside): a body of any other type is 415 rather than silently ignored. */
@Injectable()
export class JsonContentTypeMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!WITH_BODY.has(req.method) || !hasBody) return next();
    if (req.method === 'POST' && UPLOAD_PATH.test(req.originalUrl.split('?')[0])) {
      if (!req.is('multipart/form-data')) {
        throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Content-Type must be multipart/form-data');
      }
    } else if (!req.is(['application/json', 'application/*+json'])) {
      throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Content-Type must be application/json');
    }
    next();
  }
}
