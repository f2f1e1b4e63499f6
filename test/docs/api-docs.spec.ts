import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@app/config';
import { createApiDocument } from '../../apps/gateway/src/api-docs/api-docs';
import { AppModule } from '../../apps/gateway/src/app.module';
import { GatewayConfig } from '../../apps/gateway/src/gateway.config';
import { parseProtocol } from '../harness/protocol-tables';

/** The gateway's OpenAPI document as it serves it: the real AppModule, in preview mode (no NATS, no listener). */
async function gatewayOpenApi(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(AppModule.forRoot(loadConfig(GatewayConfig, {})), {
    preview: true,
    logger: false,
  });
  try {
    return createApiDocument(app);
  } finally {
    await app.close();
  }
}

describe('API documents against docs/protocol.md', () => {
  const contract = parseProtocol();
  let openapi: OpenAPIObject;

  beforeAll(async () => {
    openapi = await gatewayOpenApi();
  });

  it("reads the contract's tables: every HTTP route and socket event", () => {
    expect(contract.http).toHaveLength(18);
    expect(contract.http).toContainEqual({ method: 'GET', path: '/api/rooms/{id}/messages' });
    expect(contract.http).toContainEqual({ method: 'GET', path: '/readyz' });
    expect(contract.clientToServer).toEqual([
      'room:join',
      'room:leave',
      'message:send',
      'message:edit',
      'message:delete',
      'typing',
      'room:read',
    ]);
    expect(contract.serverToClient).toHaveLength(9);
    expect(contract.serverToClient).toContain('session:revoked');
  });

  it('fails loudly on a contract whose tables it cannot read', () => {
    expect(() => parseProtocol('# no tables here\n')).toThrow(/no table headed "call"/);
    expect(() => parseProtocol('| call | body | answer |\n|---|---|---|\n| `FETCH /x` | — | 200 |\n')).toThrow(
      /not a route/,
    );
  });

  it('the OpenAPI document describes every HTTP route of the contract', () => {
    const missing = contract.http.filter((r) => openapi.paths[r.path]?.[r.method.toLowerCase() as 'get'] === undefined);
    expect(missing).toEqual([]);
  });

  it('each of those routes has a success answer, with a schema when it has a body', () => {
    for (const { method, path } of contract.http) {
      // A missing route is the test above's to report.
      const op = openapi.paths[path]?.[method.toLowerCase() as 'get'];
      if (op === undefined) continue;
      const success = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      expect({ method, path, success: success.length > 0 }).toEqual({ method, path, success: true });
      for (const [status, response] of success) {
        const content = response && 'content' in response ? response.content : undefined;
        const schema = Object.values(content ?? {})[0]?.schema;
        // 204 has no body; any other success describes the one it has.
        expect({ method, path, status, schema }).toEqual({
          method,
          path,
          status,
          schema: status === '204' ? undefined : expect.any(Object),
        });
      }
    }
  });
});
