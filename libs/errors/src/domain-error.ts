import { ErrorBody, ErrorCode } from '@app/contracts';

/** An error the contract names: it reaches the client with its code and message, and nothing else. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = DomainError.name;
  }

  toBody(): ErrorBody {
    return this.retryAfter === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, retryAfter: this.retryAfter };
  }

  static validation(message: string): DomainError {
    return new DomainError(ErrorCode.VALIDATION_FAILED, message);
  }
  static notFound(what = 'Not found'): DomainError {
    return new DomainError(ErrorCode.NOT_FOUND, what);
  }
  static forbidden(message = 'Forbidden'): DomainError {
    return new DomainError(ErrorCode.FORBIDDEN, message);
  }
  static unavailable(message = 'Service unavailable, try again'): DomainError {
    return new DomainError(ErrorCode.UNAVAILABLE, message);
  }
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return (
    typeof code === 'string' && typeof message === 'string' && (Object.values(ErrorCode) as string[]).includes(code)
  );
}
