import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import helmet from 'helmet';
import { API_DOCS_PATH } from '../api-docs/api-docs';

/** The API docs' page and documents: `/api/docs`, `/api/docs/…`, `/api/docs-json`, `/api/docs-yaml`. */
export function isApiDocsPath(path: string): boolean {
  return (
    path === API_DOCS_PATH ||
    path.startsWith(`${API_DOCS_PATH}/`) ||
    path === `${API_DOCS_PATH}-json` ||
    path === `${API_DOCS_PATH}-yaml`
  );
}

/**
 * helmet with a CSP that lets the web client load its own scripts and styles and open its
 * websocket to the origin it came from (older browsers do not count ws: as 'self'). The API docs'
 * page (Swagger UI) gets the same policy but for inline styles, which its HTML carries; scripts
 * stay 'self' everywhere.
 */
export function securityHeaders(secure: boolean) {
  const sameOriginSocket = (req: IncomingMessage) =>
    `${secure ? 'wss' : 'ws'}://${(req as Request).headers.host ?? ''}`;
  const directives = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'connect-src': ["'self'", sameOriginSocket],
    'upgrade-insecure-requests': secure ? [] : null,
  };
  const app = helmet({
    contentSecurityPolicy: { useDefaults: true, directives },
    strictTransportSecurity: secure,
  });
  const docs = helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: { ...directives, 'style-src': ["'self'", "'unsafe-inline'"] },
    },
    strictTransportSecurity: secure,
  });
  return (req: Request, res: Response, next: NextFunction) => (isApiDocsPath(req.path) ? docs : app)(req, res, next);
}
