import { io } from 'socket.io-client';
import { api, closeAllSockets, registerAndLogin } from '../harness/client';
import { expectError } from '../harness/contract';
import { Stack, startStack } from '../harness/stack';

jest.setTimeout(60_000);

const EVIL = 'https://evil.example';

/** A socket whose handshake carries only `headers` (a cookie, an Origin): resolves on connect, rejects with the refusal. */
function handshake(url: string, headers: Record<string, string>, auth?: { token: string }) {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: headers,
    auth,
  });
  return new Promise<ReturnType<typeof io>>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

// Cross-site request forgery and WebSocket hijacking: the `sid` cookie only counts from allowed origins.
describe('cross-site requests', () => {
  let stack: Stack;
  let gw: string;

  beforeAll(async () => {
    stack = await startStack({ gateways: 1 });
    gw = stack.gatewayUrls[0];
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  it('a cookie-authenticated change from another origin is 403; from ours, without Origin, or by bearer token it goes', async () => {
    const me = await registerAndLogin(gw, 'csrf');
    const create = (headers: Record<string, string>, auth: { cookie?: string; token?: string }) =>
      api(gw).post('/api/rooms', { name: 'csrf', kind: 'public' }, { ...auth, headers });
    expectError(await create({ origin: EVIL }, { cookie: me.cookie }), 403, 'FORBIDDEN');
    expectError(await create({ origin: 'null' }, { cookie: me.cookie }), 403, 'FORBIDDEN');
    expect((await create({ origin: gw }, { cookie: me.cookie })).status).toBe(201);
    expect((await create({}, { cookie: me.cookie })).status).toBe(201);
    expect((await create({ origin: EVIL }, { token: me.token })).status).toBe(201);
    // Reading is not a forgery risk: the same-origin policy keeps the answer from the other page.
    expect((await api(gw).get('/api/rooms', { cookie: me.cookie, headers: { origin: EVIL } })).status).toBe(200);
  });

  it('a socket resting on the cookie alone is refused from another origin; a token is not', async () => {
    const me = await registerAndLogin(gw, 'cswsh');
    await expect(handshake(gw, { cookie: me.cookie, origin: EVIL })).rejects.toThrow('FORBIDDEN');
    (await handshake(gw, { cookie: me.cookie, origin: gw })).close();
    (await handshake(gw, { cookie: me.cookie })).close();
    (await handshake(gw, { origin: EVIL }, { token: me.token })).close();
  });

  it('CORS is off by default: no Access-Control-Allow-Origin for another origin', async () => {
    const me = await registerAndLogin(gw, 'cors');
    const res = await api(gw).get('/api/auth/me', { token: me.token, headers: { origin: EVIL } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await api(gw).request('OPTIONS', '/api/rooms', {
      headers: { origin: EVIL, 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
