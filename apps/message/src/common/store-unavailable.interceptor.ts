import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { DomainError } from '@app/errors';
import { Observable, catchError, throwError } from 'rxjs';

const UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoPoolClearedError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

/** A database that does not answer is a temporary condition: UNAVAILABLE, not INTERNAL. */
export function isStoreUnreachable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return UNREACHABLE.has(err.name) || /buffering timed out/.test(err.message);
}

@Injectable()
export class StoreUnavailableInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((err: unknown) =>
          throwError(() =>
            isStoreUnreachable(err) ? DomainError.unavailable('The message store is unavailable') : err,
          ),
        ),
      );
  }
}
