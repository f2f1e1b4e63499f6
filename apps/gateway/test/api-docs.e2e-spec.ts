import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIObject } from '@nestjs/swagger';
import {
  ApiResponse,
  Json,
  Session,
  api,
  closeAllSockets,
  connectSocket,
  emitAck,
  newClientMsgId,
  registerAndLogin,
  waitFor,
} from '../../../test/harness/client';
import { parseProtocol } from '../../../test/harness/protocol-tables';
import { schemaChecker } from '../../../test/harness/schema-check';
import { Stack, startStack } from '../../../test/harness/stack';

jest.setTimeout(60_000);

/** A real multipart upload, as a browser's FormData sends it. */
async function upload(baseUrl: string, token: string, roomId: string, type: string): Promise<ApiResponse> {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from('some bytes')], { type }), 'notes.txt');
  const res = await fetch(`${baseUrl}/api/rooms/${roomId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

// The OpenAPI document and Swagger UI as a running gateway serves them, and real answers of every
// route of the contract checked against what the document says of them.
describe('API docs (OpenAPI, Swagger UI)', () => {
  let stack: Stack;
  let gw: string;
  let doc: OpenAPIObject;
  let check: ReturnType<typeof schemaChecker>;
  const seen = new Set<string>();

  /** The answer's status is documented for the route, and its JSON body fits the documented schema. */
  function expectDocumented(method: string, path: string, res: ApiResponse): void {
    const route = `${method} ${path}`;
    seen.add(route);
    const op = doc.paths[path]?.[method.toLowerCase() as 'get'];
    const response = op?.responses[String(res.status)];
    expect({ route, status: res.status, documented: response !== undefined }).toEqual({
      route,
      status: res.status,
      documented: true,
    });
    const schema = response && 'content' in response ? response.content?.['application/json']?.schema : undefined;
    if (schema === undefined) return;
    expect(res.headers.get('content-type') ?? '').toContain('application/json');
    expect({ route, status: res.status, errors: check(schema, res.body) }).toEqual({
      route,
      status: res.status,
      errors: null,
    });
  }

  beforeAll(async () => {
    stack = await startStack({ gateways: 1 });
    gw = stack.gatewayUrls[0];
    const res = await api(gw).get('/api/docs-json');
    expect(res.status).toBe(200);
    doc = res.body as OpenAPIObject;
    check = schemaChecker(doc.components as { schemas: Record<string, unknown> });
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  it('GET /api/docs-json is a valid OpenAPI 3 document listing every HTTP route of the contract', async () => {
    const res = await api(gw).get('/api/docs-json');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    // swagger-parser checks it against the OpenAPI 3.0 schema and resolves every $ref.
    await expect(SwaggerParser.validate(structuredClone(res.body) as never)).resolves.toBeDefined();
    for (const { method, path } of parseProtocol().http) {
      const op = doc.paths[path]?.[method.toLowerCase() as 'get'];
      expect({ route: `${method} ${path}`, described: op !== undefined }).toEqual({
        route: `${method} ${path}`,
        described: true,
      });
    }
    expect(doc.components?.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      sid: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'sid' }),
    });
  });

  describe('real answers fit the document', () => {
    let a: Session;
    let b: Session;
    let c: Session;
    let roomId: string;

    beforeAll(async () => {
      [a, b, c] = await Promise.all([
        registerAndLogin(gw, 'docsA'),
        registerAndLogin(gw, 'docsB'),
        registerAndLogin(gw, 'docsC'),
      ]);
    });

    it('auth: register, login, me, logout, and their errors', async () => {
      const client = api(gw);
      const username = `docs_${Date.now().toString(36)}`;
      const password = 'correct horse battery';
      expectDocumented('POST', '/api/auth/register', await client.post('/api/auth/register', { username, password }));
      const taken = await client.post('/api/auth/register', { username: username.toUpperCase(), password });
      expect(taken.status).toBe(409);
      expectDocumented('POST', '/api/auth/register', taken);
      expectDocumented('POST', '/api/auth/register', await client.post('/api/auth/register', { username: 'x' }));
      const login = await client.post('/api/auth/login', { username, password });
      expect(login.status).toBe(200);
      expectDocumented('POST', '/api/auth/login', login);
      const wrong = await client.post('/api/auth/login', { username, password: 'not the password' });
      expect(wrong.status).toBe(401);
      expectDocumented('POST', '/api/auth/login', wrong);
      expectDocumented('GET', '/api/auth/me', await client.get('/api/auth/me', { token: login.body.token }));
      expectDocumented('GET', '/api/auth/me', await client.get('/api/auth/me'));
      const raw = await client.request('POST', '/api/auth/login', { raw: 'username=a', contentType: 'text/plain' });
      expect(raw.status).toBe(415);
      expectDocumented('POST', '/api/auth/login', raw);
      const big = await client.post('/api/auth/login', { username, password: 'x'.repeat(70_000) });
      expect(big.status).toBe(413);
      expectDocumented('POST', '/api/auth/login', big);
      const out = await client.post('/api/auth/logout', undefined, { token: login.body.token });
      expect(out.status).toBe(204);
      expectDocumented('POST', '/api/auth/logout', out);
    });

    it('rooms, members, direct rooms, history, attachments and search', async () => {
      const client = api(gw);
      const created = await client.post(
        '/api/rooms',
        { name: 'documented', kind: 'private', members: [b.user.username] },
        { token: a.token },
      );
      expect(created.status).toBe(201);
      expectDocumented('POST', '/api/rooms', created);
      roomId = created.body.room.id;
      expectDocumented('GET', '/api/rooms/{id}', await client.get(`/api/rooms/${roomId}`, { token: a.token }));
      expectDocumented('GET', '/api/rooms/{id}', await client.get(`/api/rooms/${roomId}`, { token: c.token }));
      expectDocumented('GET', '/api/rooms/{id}', await client.get('/api/rooms/nothing-here', { token: a.token }));
      expectDocumented(
        'POST',
        '/api/rooms/{id}/join',
        await client.post(`/api/rooms/${roomId}/join`, undefined, { token: a.token }),
      );
      expectDocumented(
        'POST',
        '/api/rooms/{id}/join',
        await client.post(`/api/rooms/${roomId}/join`, undefined, { token: c.token }),
      );
      expectDocumented(
        'POST',
        '/api/rooms/{id}/members',
        await client.post(`/api/rooms/${roomId}/members`, { username: c.user.username }, { token: b.token }),
      );
      const dm = await client.post('/api/dm', { username: b.user.username }, { token: a.token });
      expect(dm.status).toBe(201);
      expectDocumented('POST', '/api/dm', dm);
      const again = await client.post('/api/dm', { username: a.user.username }, { token: b.token });
      expect(again.status).toBe(200);
      expectDocumented('POST', '/api/dm', again);
      expectDocumented(
        'POST',
        '/api/dm',
        await client.post('/api/dm', { username: a.user.username }, { token: a.token }),
      );

      // Messages with every optional field: attachments, mentions, an edit, a tombstone.
      const uploaded = await upload(gw, a.token, roomId, 'text/plain');
      expect(uploaded.status).toBe(201);
      expectDocumented('POST', '/api/rooms/{id}/attachments', uploaded);
      expectDocumented('POST', '/api/rooms/{id}/attachments', await upload(gw, a.token, roomId, 'text/html'));
      const socket = await connectSocket(gw, a.token);
      const sent = await emitAck(socket, 'message:send', {
        roomId,
        clientMsgId: newClientMsgId(),
        body: `findable words for @${b.user.username}`,
        attachmentIds: [uploaded.body.attachment.id],
      });
      expect(sent.ok).toBe(true);
      expect(await emitAck(socket, 'message:edit', { messageId: sent.message.id, body: 'findable, edited' })).toEqual(
        expect.objectContaining({ ok: true }),
      );
      const doomed = await emitAck(socket, 'message:send', { roomId, clientMsgId: newClientMsgId(), body: 'bye' });
      expect((await emitAck(socket, 'message:delete', { messageId: doomed.message.id })).ok).toBe(true);

      const history = await client.get(`/api/rooms/${roomId}/messages?limit=10`, { token: b.token });
      expect(history.body.messages.map((m: Json) => Object.keys(m).sort())).toEqual([
        expect.arrayContaining(['attachments', 'editedAt']),
        expect.arrayContaining(['deleted']),
      ]);
      expectDocumented('GET', '/api/rooms/{id}/messages', history);
      expectDocumented(
        'GET',
        '/api/rooms/{id}/messages',
        await client.get(`/api/rooms/${roomId}/messages?before=1&after=1`, { token: b.token }),
      );
      // b has unread messages and a mention in the room: the optional counters are there.
      const rooms = await client.get('/api/rooms', { token: b.token });
      expect(rooms.body.rooms.find((r: Json) => r.id === roomId)).toEqual(
        expect.objectContaining({ unread: expect.any(Number), unreadMentions: expect.any(Number) }),
      );
      expectDocumented('GET', '/api/rooms', rooms);

      const file = await client.get(uploaded.body.attachment.url, { token: b.token });
      expect(file.text).toBe('some bytes');
      expectDocumented('GET', '/api/attachments/{id}', file);
      expectDocumented(
        'GET',
        '/api/attachments/{id}',
        await client.get(uploaded.body.attachment.url, { token: c.token }),
      );

      let found: ApiResponse | undefined;
      await waitFor(
        async () => {
          found = await client.get('/api/search?q=findable', { token: b.token });
          return found.body.results?.length === 1;
        },
        15_000,
        'the message indexed',
      );
      expectDocumented('GET', '/api/search', found!);
      expectDocumented('GET', '/api/search', await client.get('/api/search?q=', { token: b.token }));

      const left = await client.post(`/api/rooms/${roomId}/leave`, undefined, { token: c.token });
      expect(left.status).toBe(204);
      expectDocumented('POST', '/api/rooms/{id}/leave', left);
    });

    it('probes and metrics', async () => {
      expectDocumented('GET', '/healthz', await api(gw).get('/healthz'));
      expectDocumented('GET', '/readyz', await api(gw).get('/readyz'));
      expectDocumented('GET', '/metrics', await api(gw).get('/metrics'));
    });

    it('covered every HTTP route of the contract', () => {
      const routes = parseProtocol().http.map((r) => `${r.method} ${r.path}`);
      expect(routes.filter((r) => !seen.has(r))).toEqual([]);
    });
  });

  describe('Swagger UI at /api/docs', () => {
    it('serves the page and every file it references from the gateway itself', async () => {
      const page = await fetch(`${gw}/api/docs`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('<div id="swagger-ui">');
      const refs = [...html.matchAll(/\s(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]);
      expect(refs).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/swagger-ui\.css$/),
          expect.stringMatching(/swagger-ui-bundle\.js$/),
          expect.stringMatching(/swagger-ui-init\.js$/),
        ]),
      );
      for (const ref of refs) {
        const url = new URL(ref, `${gw}/api/docs`);
        // No CDN: everything comes from this origin.
        expect(url.origin).toBe(gw);
        const res = await fetch(url);
        const type = res.headers.get('content-type') ?? '';
        expect({ ref, status: res.status }).toEqual({ ref, status: 200 });
        if (ref.endsWith('.js')) expect(type).toMatch(/javascript/);
        if (ref.endsWith('.css')) expect(type).toMatch(/^text\/css/);
        if (ref.endsWith('.png')) expect(type).toBe('image/png');
        await res.arrayBuffer();
      }
      // The UI is handed the document the gateway serves.
      const init = await (await fetch(`${gw}/api/docs/swagger-ui-init.js`)).text();
      expect(init).toContain('"/api/rooms/{id}/messages"');
    });

    it('has a CSP of its own (inline styles); scripts stay self-only, and the rest of the app keeps the strict one', async () => {
      const csp = (res: Response) =>
        Object.fromEntries(
          (res.headers.get('content-security-policy') ?? '')
            .split(';')
            .map((d) => d.trim().split(/\s+/))
            .map(([name, ...values]) => [name, values]),
        );
      const docs = csp(await fetch(`${gw}/api/docs`));
      expect(docs['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
      expect(docs['script-src']).toEqual(["'self'"]);
      expect(docs['default-src']).toEqual(["'self'"]);
      for (const path of ['/', '/api/rooms', '/api/docsx', '/healthz']) {
        const app = csp(await fetch(`${gw}${path}`));
        expect({ path, style: app['style-src'], script: app['script-src'] }).toEqual({
          path,
          style: ["'self'"],
          script: ["'self'"],
        });
      }
    });
  });
});
