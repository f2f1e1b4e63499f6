import { LoggerService } from '@nestjs/common';
import { Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';

/**
 * Nest's logger for the whole process, through nestjs-pino: every `new Logger(Class.name)` writes
 * to `root`, or to the logger bound to the request under way (its `reqId`), with `context`.
 */
export function createNestLogger(root: Logger): LoggerService {
  const params = { pinoHttp: { logger: root } };
  return new PinoNestLogger(new PinoLogger(params), params);
}
