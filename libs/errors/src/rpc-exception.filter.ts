import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { ErrorBody, ErrorCode } from '@app/contracts';
import { currentRequestId, newRequestId } from '@app/logging';
import { Observable, throwError } from 'rxjs';
import { NatsContext } from '@nestjs/microservices';
import { DomainError } from './domain-error';

/** What a service knows of errors that are not DomainErrors (a database outage is UNAVAILABLE). */
export type ErrorTranslation = (err: unknown) => DomainError | undefined;

/**
 * The RPC edge's one mapper: a DomainError travels back as its body, so does what `translate`
 * makes of another error; anything else is logged and answered INTERNAL with the request's id as its
 * reference (the id every log line of the request carries), so no stack or query ever leaves the service.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger(RpcErrorFilter.name);

  constructor(private readonly translate: ErrorTranslation = () => undefined) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    return throwError(() => toRpcError(exception, host, this.logger, this.translate));
  }
}

function toRpcError(exception: unknown, host: ArgumentsHost, logger: Logger, translate: ErrorTranslation): ErrorBody {
  const ctx: unknown = host.getType() === 'rpc' ? host.switchToRpc().getContext() : undefined;
  const subject = ctx instanceof NatsContext ? ctx.getSubject() : undefined;
  return errorBodyOf(exception, translate, logger, subject);
}

/**
 * What the caller is told of `exception`: a DomainError's body, or what `translate` makes of it, or
 * else INTERNAL with the request's id as its reference (the error itself is logged here, never sent).
 * The filter's mapping, for a handler that answers several outcomes in one reply.
 */
export function errorBodyOf(
  exception: unknown,
  translate: ErrorTranslation,
  logger: Logger,
  subject?: string,
): ErrorBody {
  const known = exception instanceof DomainError ? exception : translate(exception);
  if (known) return known.toBody();
  const ref = currentRequestId() ?? newRequestId();
  logger.error({ msg: 'unhandled error in request handler', ref, subject, err: exception });
  return { code: ErrorCode.INTERNAL, message: `Internal error (ref ${ref})` };
}
