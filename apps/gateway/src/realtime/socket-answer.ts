import { Logger } from '@nestjs/common';
import { DomainError } from '@app/errors';
import { normalizeError } from '../common/error-normalizer';
import { AckError, toAckError } from '../common/socket-error.mapper';
import { DrainState } from '../lifecycle/drain-state';
import { ChatSocket } from './socket-events';

export type Ack<T extends object> = ({ ok: true } & T) | AckError;

/** Runs one socket command and turns its outcome into the ack: `{ok: true, …}` or `{ok: false, error}`, never a throw. */
export async function answer<T extends object>(
  context: { drain: DrainState; logger: Logger },
  socket: ChatSocket,
  event: string,
  work: () => Promise<T>,
): Promise<Ack<T>> {
  try {
    if (context.drain.stopping) throw DomainError.unavailable('This gateway is shutting down, reconnect');
    return { ok: true, ...(await work()) };
  } catch (err) {
    return toAckError(normalizeError(err, context.logger, { event, socketId: socket.id }));
  }
}
