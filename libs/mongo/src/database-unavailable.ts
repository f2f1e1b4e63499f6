import { DomainError } from '@app/errors';
import { isDatabaseUnavailable } from './mongo-errors';

/**
 * A database that cannot be reached is the caller's UNAVAILABLE (retry later), not an INTERNAL bug:
 * the request edge's error filter asks this before it answers INTERNAL. (A filter, not an
 * interceptor: Nest wraps every request of a handler with interceptors in an RxJS pipeline and an
 * AsyncResource binding, about 3 % of the message service's time at 1,000 msg/s, to catch what a
 * filter sees anyway.)
 */
export function databaseUnavailable(message: string): (err: unknown) => DomainError | undefined {
  return (err) => (isDatabaseUnavailable(err) ? DomainError.unavailable(message) : undefined);
}
