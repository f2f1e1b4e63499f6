import { Parser } from '@asyncapi/parser';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { loadConfig } from '@app/config';
import { CLIENT_PAYLOADS } from '@app/contracts';
import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createApiDocument } from '../../apps/gateway/src/api-docs/api-docs';
import { createAsyncApiDocument } from '../../apps/gateway/src/api-docs/asyncapi-document';
import { AppModule } from '../../apps/gateway/src/app.module';
import { GatewayConfig } from '../../apps/gateway/src/gateway.config';
import { parseProtocol } from '../harness/protocol-tables';

const ASYNCAPI_PATH = join(__dirname, '..', '..', 'docs', 'asyncapi.yaml');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

/**
 * The gateway's documents as it builds them: the real AppModule in preview mode (no NATS, no
 * listener): the OpenAPI one it serves, and the AsyncAPI one `npm run docs:asyncapi` writes.
 */
async function gatewayDocuments(): Promise<{ openapi: OpenAPIObject; asyncapi: Doc }> {
  const app = await NestFactory.create(AppModule.forRoot(loadConfig(GatewayConfig, {})), {
    preview: true,
    logger: false,
  });
  try {
    return { openapi: createApiDocument(app), asyncapi: createAsyncApiDocument(app) };
  } finally {
    await app.close();
  }
}

/** `{$ref: '#/a/b'}` → doc.a.b */
function deref(doc: Doc, node: Doc): Doc {
  if (typeof node?.$ref !== 'string') return node;
  return (node.$ref as string)
    .slice(2)
    .split('/')
    .reduce((at: Doc, key: string) => at?.[key], doc);
}

describe('API documents against docs/protocol.md', () => {
  const contract = parseProtocol();
  let openapi: OpenAPIObject;
  let generated: Doc;
  const committed: Doc = parse(readFileSync(ASYNCAPI_PATH, 'utf8'));

  beforeAll(async () => {
    ({ openapi, asyncapi: generated } = await gatewayDocuments());
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

  describe('docs/asyncapi.yaml', () => {
    it('is what `npm run docs:asyncapi` generates from the typed socket contract (run it after changing the contract)', () => {
      expect(committed).toEqual(JSON.parse(JSON.stringify(generated)));
    });

    it('is a valid AsyncAPI 3 document (@asyncapi/parser)', async () => {
      const { document, diagnostics } = await new Parser().parse(readFileSync(ASYNCAPI_PATH, 'utf8'));
      // Severity 0 is an error, 1 a warning; information and hints (a newer 3.x exists) are not problems.
      const problems = diagnostics
        .filter((d) => Number(d.severity) <= 1)
        .map((d) => `${d.message} at ${d.path.join('.')}`);
      expect(problems).toEqual([]);
      expect(document?.version()).toMatch(/^3\./);
    });

    it('describes every socket event of the contract: client → server with its payload and ack, server → client with its payload', () => {
      const operations: Doc[] = Object.values(committed.operations ?? {});
      const described = (action: string, event: string) =>
        operations.some((op) => {
          const channel = deref(committed, op.channel);
          if (op.action !== action || channel?.address !== event) return false;
          const payloads = (op.messages as Doc[]).map((m) => deref(committed, m)?.payload);
          const acks = ((op.reply?.messages ?? []) as Doc[]).map((m) => deref(committed, m)?.payload);
          return (
            payloads.length > 0 &&
            payloads.every(Boolean) &&
            (action === 'send' || (acks.length > 0 && acks.every(Boolean)))
          );
        });
      expect(contract.clientToServer.filter((e) => !described('receive', e))).toEqual([]);
      expect(contract.serverToClient.filter((e) => !described('send', e))).toEqual([]);
    });

    it("lists each client payload's fields as the gateway validates them (class-validator metadata)", () => {
      for (const [event, cls] of Object.entries(CLIENT_PAYLOADS)) {
        const validated = new Set(
          getMetadataStorage()
            .getTargetValidationMetadatas(cls, '', true, false)
            .map((m) => m.propertyName),
        );
        const schema = committed.components.schemas[cls.name];
        expect({ event, fields: Object.keys(schema?.properties ?? {}).sort() }).toEqual({
          event,
          fields: [...validated].sort(),
        });
      }
    });
  });
});
