import { ErrorCode } from '@app/contracts';
import { DomainError, isErrorBody } from '@app/errors';

/** The `outcome` label of a request or event: `ok`, or the contract's error code (`NOT_FOUND`, `INTERNAL`…). */
export type Outcome = 'ok' | ErrorCode;

/** The outcome of a failure: a DomainError or an error body keeps its code; anything else is INTERNAL. */
export function outcomeOf(err: unknown): Outcome {
  if (err instanceof DomainError) return err.code;
  if (isErrorBody(err)) return err.code;
  return ErrorCode.INTERNAL;
}
