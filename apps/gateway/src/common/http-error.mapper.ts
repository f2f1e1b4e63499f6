import { ErrorBody, ErrorCode, ErrorReply } from '@app/contracts';

export interface HttpErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: ErrorReply;
}

/** The contract's HTTP status of each error code. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
      return 400;
    case ErrorCode.UNAUTHORIZED:
    case ErrorCode.INVALID_CREDENTIALS:
      return 401;
    case ErrorCode.FORBIDDEN:
      return 403;
    case ErrorCode.NOT_FOUND:
      return 404;
    case ErrorCode.USERNAME_TAKEN:
      return 409;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return 415;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.UNAVAILABLE:
      return 503;
    case ErrorCode.INTERNAL:
      return 500;
  }
}

/** The HTTP edge's one mapper: status, headers (`Retry-After`, `WWW-Authenticate`) and `{error}` body. */
export function toHttpError(error: ErrorBody): HttpErrorResponse {
  const headers: Record<string, string> = {};
  if (error.code === ErrorCode.RATE_LIMITED) {
    headers['Retry-After'] = String(Math.max(1, Math.ceil(error.retryAfter ?? 1)));
  }
  if (error.code === ErrorCode.UNAUTHORIZED) headers['WWW-Authenticate'] = 'Bearer';
  return {
    status: httpStatusOf(error.code),
    headers,
    body: { error: { code: error.code, message: error.message } },
  };
}
