import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { DomainError } from '@app/errors';
import { Observable, catchError, throwError } from 'rxjs';
import { isDatabaseUnavailable } from './mongo-errors';

/** A database that cannot be reached is the caller's UNAVAILABLE (retry later), not an INTERNAL bug. */
@Injectable()
export class DatabaseUnavailableInterceptor implements NestInterceptor {
  constructor(private readonly message = 'The database does not answer') {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((err: unknown) =>
          throwError(() => (isDatabaseUnavailable(err) ? DomainError.unavailable(this.message) : err)),
        ),
      );
  }
}
