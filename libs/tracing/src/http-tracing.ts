import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanKind, endSpan, extractTrace, startSpan, withSpan } from './tracing';

type Next = (err?: unknown) => void;

/** What Express leaves on a request it routed. */
interface Routed {
  baseUrl?: string;
  route?: { path?: unknown };
  id?: unknown;
}

const headerGetter = {
  keys: (carrier: IncomingMessage['headers']) => Object.keys(carrier),
  get: (carrier: IncomingMessage['headers'], key: string) => carrier[key],
};

/**
 * Express middleware (registered only while tracing is on): a server span per HTTP request, child of
 * the client's `traceparent` if it sent one, named by method and route once the route is known.
 */
export function traceHttp(): (req: IncomingMessage, res: ServerResponse, next: Next) => void {
  return (req, res, next) => {
    const parent = extractTrace(req.headers, headerGetter);
    const span = startSpan(
      req.method ?? 'HTTP',
      SpanKind.SERVER,
      {
        'http.request.method': req.method,
        'url.path': (req.url ?? '').split('?')[0],
        'chat.request_id': typeof (req as Routed).id === 'string' ? ((req as Routed).id as string) : undefined,
      },
      parent,
    );
    res.once('close', () => {
      const { baseUrl = '', route } = req as Routed;
      if (span && typeof route?.path === 'string') {
        span.updateName(`${req.method} ${baseUrl}${route.path}`);
        span.setAttribute('http.route', `${baseUrl}${route.path}`);
      }
      span?.setAttribute('http.response.status_code', res.statusCode);
      endSpan(span, res.statusCode >= 500 ? `HTTP ${res.statusCode}` : undefined);
    });
    withSpan(span, next, parent);
  };
}
