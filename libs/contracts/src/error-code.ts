import { ApiProperty } from '@nestjs/swagger';

/** Error codes of the client contract (docs/protocol.md). Every error a client sees carries one. */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  UNAUTHORIZED = 'UNAUTHORIZED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  USERNAME_TAKEN = 'USERNAME_TAKEN',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED = 'RATE_LIMITED',
  UNAVAILABLE = 'UNAVAILABLE',
  INTERNAL = 'INTERNAL',
}

export const ERROR_CODES: readonly string[] = Object.values(ErrorCode);

/** The error body every transport hands to clients: `{ error: { code, message } }`. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** Seconds, for RATE_LIMITED only; the HTTP edge turns it into `Retry-After`. */
  retryAfter?: number;
}

/** What a client sees of an error: `{code, message}`, nothing internal. */
export class ErrorDetail {
  @ApiProperty({ enum: ErrorCode, enumName: 'ErrorCode' })
  code!: ErrorCode;

  @ApiProperty({ description: 'Human-readable text' })
  message!: string;
}

/** Every HTTP error's body (docs/protocol.md, Conventions). */
export class ErrorReply {
  @ApiProperty({ type: () => ErrorDetail })
  error!: ErrorDetail;
}
