import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import type { Request } from 'express';
import { Observable } from 'rxjs';

/** The upload route takes multipart/form-data only: anything else is 415, after the session guard. */
@Injectable()
export class MultipartOnlyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.is('multipart/form-data')) {
      throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Content-Type must be multipart/form-data');
    }
    return next.handle();
  }
}
