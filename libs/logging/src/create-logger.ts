import { ConsoleLogger, LogLevel as NestLevel } from '@nestjs/common';
import type { BaseConfig, LogLevel } from '@app/config';

const LEVELS: Record<LogLevel, NestLevel[]> = {
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
  info: ['fatal', 'error', 'warn', 'log'],
  warn: ['fatal', 'error', 'warn'],
  error: ['fatal', 'error'],
};

/** The one logger of a process: Nest's, JSON lines when LOG_FORMAT=json. */
export function createLogger(app: string, config: Pick<BaseConfig, 'LOG_LEVEL' | 'LOG_FORMAT'>): ConsoleLogger {
  return new ConsoleLogger(app, {
    json: config.LOG_FORMAT === 'json',
    colors: false,
    logLevels: LEVELS[config.LOG_LEVEL],
  });
}
