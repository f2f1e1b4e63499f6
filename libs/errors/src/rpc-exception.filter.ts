import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { ErrorBody, ErrorCode } from '@app/contracts';
import { randomUUID } from 'node:crypto';
import { Observable, throwError } from 'rxjs';
import { NatsContext } from '@nestjs/microservices';
import { DomainError } from './domain-error';

/**
 * The RPC edge's one mapper: a DomainError travels back as its body; anything else is logged
 * with a correlation id and answered INTERNAL, so no stack or query ever leaves the service.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger(RpcErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    return throwError(() => toRpcError(exception, host, this.logger));
  }
}

function toRpcError(exception: unknown, host: ArgumentsHost, logger: Logger): ErrorBody {
  if (exception instanceof DomainError) return exception.toBody();
  const correlationId = randomUUID();
  const ctx: unknown = host.getType() === 'rpc' ? host.switchToRpc().getContext() : undefined;
  const subject = ctx instanceof NatsContext ? ctx.getSubject() : undefined;
  logger.error({ msg: 'unhandled error in request handler', correlationId, subject, err: exception });
  return { code: ErrorCode.INTERNAL, message: `Internal error (ref ${correlationId})` };
}
