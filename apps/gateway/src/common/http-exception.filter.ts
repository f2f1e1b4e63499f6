import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { normalizeError } from './error-normalizer';
import { toHttpError } from './http-error.mapper';

/** Catches everything that reaches Nest on HTTP and answers it in the contract's `{error}` shape. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      // Socket handlers answer their own errors; anything escaping them is only logged.
      normalizeError(exception, this.logger, { transport: host.getType() });
      return;
    }
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    // The path only: a query string may hold a credential.
    const { status, headers, body } = toHttpError(
      normalizeError(exception, this.logger, { method: req.method, path: req.path }),
    );
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).set(headers).json(body);
  }
}
