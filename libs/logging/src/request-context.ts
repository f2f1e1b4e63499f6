import { storage } from 'nestjs-pino/storage';
import { randomUUID } from 'node:crypto';
import pino, { Logger } from 'pino';

/** The header a request id travels in: from HTTP clients, and between services on NATS. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** What a client may name its request by: short, and nothing that could forge a log line. */
const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * nestjs-pino's per-request store (its `Store` shape) with the request id beside it. The logger
 * bound to the id is made on the first line logged, so a request that logs nothing costs no child
 * logger.
 */
export class RequestStore {
  constructor(
    private readonly root: Logger,
    readonly requestId: string,
    private bound?: Logger,
  ) {}

  get logger(): Logger {
    return (this.bound ??= this.root.child({ reqId: this.requestId }));
  }

  /** nestjs-pino's `PinoLogger.assign` replaces it. */
  set logger(logger: Logger) {
    this.bound = logger;
  }
}

let rootLogger: Logger | undefined;

/** The process's root logger, which request stores derive their bound loggers from. */
export function setRootLogger(logger: Logger): void {
  rootLogger = logger;
}

/** Whether debug lines are written: a hot path checks before it builds one. */
export function debugLogged(): boolean {
  return rootLogger?.isLevelEnabled('debug') ?? false;
}

export function newRequestId(): string {
  return randomUUID();
}

/** A client's X-Request-Id when it is a sane one, else a fresh id. */
export function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && CLIENT_REQUEST_ID.test(header) ? header : newRequestId();
}

/** The id of the request whose work is running, if any. */
export function currentRequestId(): string | undefined {
  const store = storage.getStore();
  return store instanceof RequestStore ? store.requestId : undefined;
}

/** Runs `fn` as part of request `requestId`: every line it logs, and every NATS message it sends, carries the id. */
export function withRequestId<T>(requestId: string, fn: () => T, bound?: Logger): T {
  // Before createRootLogger (a unit test), pino's defaults.
  rootLogger ??= pino();
  return storage.run(new RequestStore(rootLogger, requestId, bound), fn);
}
