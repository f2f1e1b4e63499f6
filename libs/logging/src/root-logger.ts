import type { BaseConfig } from '@app/config';
import pino, { DestinationStream, Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { setRootLogger } from './request-context';

/**
 * Never written to a log: credentials in headers (the access log's request and response), and
 * fields that hold a password or a session token wherever an object is logged.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'password',
  'token',
  '*.password',
  '*.token',
  '*.*.password',
  '*.*.token',
];

/** pino-pretty's one-line text, written as each line is logged (no transport thread to lose lines at exit). */
function text(out: DestinationStream): DestinationStream {
  const prettify = prettyFactory({
    colorize: false,
    singleLine: true,
    translateTime: 'SYS:standard',
    ignore: 'pid,hostname',
  });
  return { write: (line: string) => out.write(prettify(line)) };
}

/**
 * The one pino logger of a process: JSON lines (LOG_FORMAT=json) or pino-pretty's one-line text,
 * each line naming the service and instance; `reqId` is added by the request's bound logger.
 */
export function createRootLogger(
  service: string,
  config: Pick<BaseConfig, 'LOG_LEVEL' | 'LOG_FORMAT' | 'INSTANCE_NAME'>,
  destination?: DestinationStream,
): Logger {
  const stdout = destination ?? pino.destination({ fd: 1, sync: true });
  const stream = config.LOG_FORMAT === 'json' ? stdout : text(stdout);
  const logger = pino(
    {
      level: config.LOG_LEVEL,
      base: { service, ...(config.INSTANCE_NAME ? { instance: config.INSTANCE_NAME } : {}) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
    },
    stream,
  );
  setRootLogger(logger);
  return logger;
}
