import { REQUEST_ID_HEADER, currentRequestId, requestIdFrom, withRequestId } from '@app/logging';
import {
  Context,
  SpanKind,
  activeContext,
  endSpan,
  extractTrace,
  injectTrace,
  startSpan,
  subjectTemplate,
  withSpan,
} from '@app/tracing';
import { MsgHdrs, headers } from 'nats';

/**
 * Where a NATS message comes from: the request it is part of, and its trace context while tracing
 * is on. Captured when work leaves its request's context (a batch stores several requests' sends).
 */
export interface Origin {
  requestId?: string;
  trace?: Context;
}

/** The origin of the work running now. */
export function currentOrigin(): Origin {
  return { requestId: currentRequestId(), trace: activeContext() };
}

const setter = { set: (h: MsgHdrs, key: string, value: string) => h.set(key, value) };
const getter = {
  keys: (h: MsgHdrs | undefined) => (h ? h.keys() : []),
  get: (h: MsgHdrs | undefined, key: string) => (h?.has(key) ? h.get(key) : undefined),
};

/**
 * The headers a message from `origin` carries: its request id (`x-request-id`) and, while tracing
 * is on, its W3C trace context (`traceparent`); none when it is part of no request.
 */
export function headersOf(origin: Origin = currentOrigin()): MsgHdrs | undefined {
  if (origin.requestId === undefined && origin.trace === undefined) return undefined;
  const h = headers();
  if (origin.requestId !== undefined) h.set(REQUEST_ID_HEADER, origin.requestId);
  if (origin.trace) injectTrace(origin.trace, h, setter);
  return h;
}

/** The trace context a received message carries (undefined while tracing is off). */
export function traceOf(msgHeaders: MsgHdrs | undefined): Context | undefined {
  return extractTrace(msgHeaders, getter);
}

/**
 * Runs `fn` as part of the request a received event belongs to, if it names one; while tracing is
 * on, inside a consumer span child of the event's trace context (when it carries one).
 */
export function withOriginOf<T>(subject: string, msgHeaders: MsgHdrs | undefined, fn: () => T): T {
  const id = msgHeaders?.get(REQUEST_ID_HEADER);
  const run = id ? () => withRequestId(requestIdFrom(id), fn) : fn;
  const parent = msgHeaders?.has('traceparent') ? traceOf(msgHeaders) : undefined;
  if (!parent) return run();
  const span = startSpan(`receive ${subjectTemplate(subject)}`, SpanKind.CONSUMER, messaging(subject), parent);
  try {
    return withSpan(span, run, parent);
  } finally {
    endSpan(span);
  }
}

/** A span's attributes for a NATS subject. */
export function messaging(subject: string): Record<string, string> {
  return { 'messaging.system': 'nats', 'messaging.destination.name': subjectTemplate(subject) };
}

/** A trace context as plain fields (W3C `traceparent`, `tracestate`): for a payload carrying several. */
export type TraceFields = Record<string, string>;

/** `ctx` as TraceFields; undefined while tracing is off. */
export function traceFieldsOf(ctx: Context | undefined): TraceFields | undefined {
  if (!ctx) return undefined;
  const fields: TraceFields = {};
  injectTrace(ctx, fields, { set: (carrier: TraceFields, key: string, value: string) => (carrier[key] = value) });
  return Object.keys(fields).length > 0 ? fields : undefined;
}

const fieldGetter = {
  keys: (fields: unknown) => (typeof fields === 'object' && fields !== null ? Object.keys(fields) : []),
  get: (fields: unknown, key: string) => {
    const value = typeof fields === 'object' && fields !== null ? (fields as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' ? value : undefined;
  },
};

/** The trace context TraceFields received in a payload hold (anything else holds none); undefined while tracing is off. */
export function traceOfFields(fields: unknown): Context | undefined {
  return extractTrace(fields, fieldGetter);
}
