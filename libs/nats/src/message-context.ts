import { REQUEST_ID_HEADER, currentRequestId, requestIdFrom, withRequestId } from '@app/logging';
import { MsgHdrs, headers } from 'nats';

/** Where a NATS message comes from: the request it is part of. Captured when work leaves its request's context. */
export interface Origin {
  requestId?: string;
}

/** The origin of the work running now. */
export function currentOrigin(): Origin {
  return { requestId: currentRequestId() };
}

/** The headers a message from `origin` carries, or none when it is part of no request. */
export function headersOf(origin: Origin = currentOrigin()): MsgHdrs | undefined {
  if (origin.requestId === undefined) return undefined;
  const h = headers();
  h.set(REQUEST_ID_HEADER, origin.requestId);
  return h;
}

/** Runs `fn` as part of the request a received event belongs to, if it names one. */
export function withOriginOf<T>(msgHeaders: MsgHdrs | undefined, fn: () => T): T {
  const id = msgHeaders?.get(REQUEST_ID_HEADER);
  return id ? withRequestId(requestIdFrom(id), fn) : fn();
}
