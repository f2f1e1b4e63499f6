import { applyDecorators } from '@nestjs/common';
import { ApiResponse, type HeaderObject } from '@nestjs/swagger';
import { ErrorCode, ErrorReply } from '@app/contracts';
import { httpStatusOf } from '../common/http-error.mapper';

/** What each code means to a caller: the response's description and its example's message. */
const MEANING: Record<ErrorCode, string> = {
  [ErrorCode.VALIDATION_FAILED]: 'The request is malformed; the message names what is wrong',
  [ErrorCode.UNAUTHORIZED]: 'No valid session (Bearer token or sid cookie)',
  [ErrorCode.INVALID_CREDENTIALS]: 'Wrong username or password',
  [ErrorCode.FORBIDDEN]: 'The caller may not do this (a private or direct room it is not a member of)',
  [ErrorCode.NOT_FOUND]: 'The id names nothing the caller may see',
  [ErrorCode.USERNAME_TAKEN]: 'The username is taken (without regard to case)',
  [ErrorCode.PAYLOAD_TOO_LARGE]: 'The body is too large',
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: 'The body is not of a type this route takes',
  [ErrorCode.RATE_LIMITED]: 'Too many requests; try again after Retry-After seconds',
  [ErrorCode.UNAVAILABLE]: 'A service behind the gateway did not answer in time',
  [ErrorCode.INTERNAL]: 'An unexpected error, logged with a correlation id',
};

function headersOf(codes: ErrorCode[]): { headers?: Record<string, HeaderObject> } {
  const headers: Record<string, HeaderObject> = {};
  if (codes.includes(ErrorCode.RATE_LIMITED)) {
    headers['Retry-After'] = { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } };
  }
  if (codes.includes(ErrorCode.UNAUTHORIZED)) {
    headers['WWW-Authenticate'] = { schema: { type: 'string', example: 'Bearer' } };
  }
  return Object.keys(headers).length > 0 ? { headers } : {};
}

/**
 * The contract errors a route (or every route of a controller) can answer, in the `{error}` shape:
 * one response per HTTP status, with an example per code (401 may be UNAUTHORIZED or INVALID_CREDENTIALS).
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(httpStatusOf(code), [...(byStatus.get(httpStatusOf(code)) ?? []), code]);
  return applyDecorators(
    ...[...byStatus].map(([status, group]) =>
      ApiResponse({
        status,
        type: ErrorReply,
        description: group.map((code) => `${code}: ${MEANING[code]}`).join('; '),
        ...headersOf(group),
        examples: Object.fromEntries(
          group.map((code) => [code, { summary: code, value: { error: { code, message: MEANING[code] } } }]),
        ),
      }),
    ),
  );
}

/** What a route taking a JSON body may answer about it: 400, 413 (over 64 KB), 415 (not JSON). */
export const JSON_BODY_ERRORS = [
  ErrorCode.VALIDATION_FAILED,
  ErrorCode.PAYLOAD_TOO_LARGE,
  ErrorCode.UNSUPPORTED_MEDIA_TYPE,
] as const;
