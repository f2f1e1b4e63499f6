import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorCode, ErrorReply } from '@app/contracts';

/** Swagger UI here, the OpenAPI document at `${API_DOCS_PATH}-json` (and `-yaml`). */
export const API_DOCS_PATH = '/api/docs';

/** The OpenAPI 3 document of the app's HTTP routes, read from its controllers' decorators. */
export function createApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('chat-backbone HTTP API')
    .setDescription(
      'The HTTP half of the client contract (docs/protocol.md); its Socket.IO events are described in ' +
        'docs/asyncapi.yaml. Every error has the shape {"error": {"code", "message"}}. Authenticate with ' +
        '`Authorization: Bearer <token>` (POST /api/auth/login answers the token) or the `sid` cookie.',
    )
    .setVersion('1')
    .addTag('auth', 'Users and sessions')
    .addTag('rooms', 'Rooms, membership, direct rooms and history')
    .addTag('attachments', 'Files attached to messages')
    .addTag('search', 'Full-text search of messages')
    .addTag('operations', 'Probes and metrics')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The token of POST /api/auth/login' }, 'bearer')
    .addCookieAuth('sid', { type: 'apiKey', in: 'cookie', name: 'sid' }, 'sid')
    .addGlobalResponse({
      status: 500,
      type: ErrorReply,
      description: `${ErrorCode.INTERNAL}: an unexpected error, logged with a correlation id`,
    })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Serves the UI (swagger-ui-dist's own files, from this process: no CDN) and the document, built on
 * the first request. The page needs a CSP of its own: see common/security-headers.ts.
 */
export function setupApiDocs(app: INestApplication): void {
  SwaggerModule.setup(API_DOCS_PATH, app, () => createApiDocument(app), {
    customSiteTitle: 'chat-backbone API',
    swaggerOptions: { validatorUrl: null },
  });
}
