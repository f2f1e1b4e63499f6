import { Logger } from '@nestjs/common';
import { CLIENT_PAYLOADS, ClientAck, ClientEventName, ClientPayload, ClientResult } from '@app/contracts';
import { DomainError } from '@app/errors';
import { normalizeError } from '../common/error-normalizer';
import { parseInput } from '../common/parse-input';
import { toAckError } from '../common/socket-error.mapper';
import { DrainState } from '../lifecycle/drain-state';
import { ChatSocket } from './socket-events';

/**
 * Runs one client → server event: validates its payload against the event's class in the
 * contract, runs `work` on it and turns the outcome into the ack the contract types for that
 * event, `{ok: true, …}` or `{ok: false, error}`, never a throw.
 */
export async function answer<E extends ClientEventName>(
  context: { drain: DrainState; logger: Logger },
  socket: ChatSocket,
  event: E,
  payload: unknown,
  work: (input: ClientPayload<E>) => Promise<ClientResult<E>>,
): Promise<ClientAck<E>> {
  try {
    if (context.drain.stopping) throw DomainError.unavailable('This gateway is shutting down, reconnect');
    const input = await parseInput(CLIENT_PAYLOADS[event], payload);
    return { ok: true, ...(await work(input)) };
  } catch (err) {
    return toAckError(normalizeError(err, context.logger, { event, socketId: socket.id }));
  }
}
