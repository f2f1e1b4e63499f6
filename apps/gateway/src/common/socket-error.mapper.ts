import { AckError, ErrorBody, ErrorCode } from '@app/contracts';

/** The socket edge's one mapper: an error body → the `{ok:false, error}` acknowledgement. */
export function toAckError(error: ErrorBody): AckError {
  switch (error.code) {
    case ErrorCode.RATE_LIMITED:
      // No header on a socket: the wait travels in the body, in milliseconds (the contract's `retryAfterMs`).
      return {
        ok: false,
        error: { code: error.code, message: error.message, retryAfterMs: Math.ceil((error.retryAfter ?? 1) * 1000) },
      };
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.UNAUTHORIZED:
    case ErrorCode.INVALID_CREDENTIALS:
    case ErrorCode.FORBIDDEN:
    case ErrorCode.NOT_FOUND:
    case ErrorCode.USERNAME_TAKEN:
    case ErrorCode.PAYLOAD_TOO_LARGE:
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
    case ErrorCode.UNAVAILABLE:
    case ErrorCode.INTERNAL:
      return { ok: false, error: { code: error.code, message: error.message } };
  }
}
