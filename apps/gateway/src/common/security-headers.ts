import type { Request } from 'express';
import type { IncomingMessage } from 'node:http';
import helmet from 'helmet';

/**
 * helmet with a CSP that lets the web client load its own scripts and styles and open its
 * websocket to the origin it came from (older browsers do not count ws: as 'self').
 */
export function securityHeaders(secure: boolean) {
  const sameOriginSocket = (req: IncomingMessage) =>
    `${secure ? 'wss' : 'ws'}://${(req as Request).headers.host ?? ''}`;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'connect-src': ["'self'", sameOriginSocket],
        'upgrade-insecure-requests': secure ? [] : null,
      },
    },
    strictTransportSecurity: secure,
  });
}
