import type { Socket } from 'socket.io-client';
import {
  api,
  closeAllSockets,
  connectSocket,
  emitAck,
  login,
  newClientMsgId,
  registerAndLogin,
  waitFor,
  type Json,
  type Session,
} from '../harness/client';
import { createRoom, join } from '../harness/contract';
import { startStack, type Stack } from '../harness/stack';

// Every path that reads or changes a private room, for every kind of caller: the owner, a member,
// a non-member, no session, a revoked session. Nothing leaks (no body of the room reaches those not
// in it), and each denial has the contract's code.
type Caller = 'owner' | 'member' | 'outsider' | 'anonymous' | 'revoked';
const CALLERS: Caller[] = ['owner', 'member', 'outsider', 'anonymous', 'revoked'];

// Waits on the index, expiry sweeps and a second gateway: generous on a loaded 2-core machine.
jest.setTimeout(60_000);
describe('authorization matrix', () => {
  let stack: Stack;
  let gw: string;
  const who = {} as Record<'owner' | 'member' | 'outsider' | 'revoked', Session>;
  let roomId: string;
  let message: Json;
  let attachmentUrl: string;
  const secret = `secret-${Date.now().toString(36)}`;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2 });
    gw = stack.gatewayUrls[0];
    who.owner = await registerAndLogin(gw, 'owner');
    who.member = await registerAndLogin(gw, 'member');
    who.outsider = await registerAndLogin(gw, 'outsider');
    // A session of the outsider's, logged out: revoked everywhere.
    who.revoked = await login(gw, who.outsider.user.username, who.outsider.password);
    roomId = (await createRoom(gw, who.owner.token, 'matrix', 'private', [who.member.user.username])).id;
    const so = await connectSocket(gw, who.owner.token);
    await join(so, roomId);
    const sent = await emitAck(so, 'message:send', { roomId, clientMsgId: newClientMsgId(), body: secret });
    message = sent.message;
    const form = new FormData();
    form.append('file', new Blob([secret], { type: 'text/plain' }), 'secret.txt');
    const up = await fetch(`${gw}/api/rooms/${roomId}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${who.owner.token}` },
      body: form,
    });
    attachmentUrl = ((await up.json()) as Json).attachment.url;
    expect((await api(gw).post('/api/auth/logout', undefined, { token: who.revoked.token })).status).toBe(204);
    await waitFor(
      async () => (await api(stack.gatewayUrls[1]).get('/api/auth/me', { token: who.revoked.token })).status === 401,
      5000,
      'the revocation everywhere',
    );
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  const tokenOf = (c: Caller): string | undefined => (c === 'anonymous' ? undefined : who[c].token);
  const leaks = (text: string) => text.includes(secret);

  /** HTTP paths: what each caller gets (status, and the code of a denial). */
  const HTTP: {
    name: string;
    call: (token?: string) => Promise<{ status: number; body: Json; text: string }>;
    expect: Record<Caller, number | [number, string]>;
  }[] = [
    {
      name: 'GET /api/rooms/:id',
      call: (token) => api(gw).get(`/api/rooms/${roomId}`, { token }),
      expect: {
        owner: 200,
        member: 200,
        outsider: [403, 'FORBIDDEN'],
        anonymous: [401, 'UNAUTHORIZED'],
        revoked: [401, 'UNAUTHORIZED'],
      },
    },
    {
      name: 'GET /api/rooms/:id/messages',
      call: (token) => api(gw).get(`/api/rooms/${roomId}/messages`, { token }),
      expect: {
        owner: 200,
        member: 200,
        outsider: [403, 'FORBIDDEN'],
        anonymous: [401, 'UNAUTHORIZED'],
        revoked: [401, 'UNAUTHORIZED'],
      },
    },
    {
      name: 'POST /api/rooms/:id/join (private)',
      call: (token) => api(gw).post(`/api/rooms/${roomId}/join`, undefined, { token }),
      expect: {
        owner: 200,
        member: 200,
        outsider: [403, 'FORBIDDEN'],
        anonymous: [401, 'UNAUTHORIZED'],
        revoked: [401, 'UNAUTHORIZED'],
      },
    },
    {
      name: 'POST /api/rooms/:id/members',
      call: (token) => api(gw).post(`/api/rooms/${roomId}/members`, { username: who.member.user.username }, { token }),
      expect: {
        owner: 200,
        member: 200,
        outsider: [403, 'FORBIDDEN'],
        anonymous: [401, 'UNAUTHORIZED'],
        revoked: [401, 'UNAUTHORIZED'],
      },
    },
    {
      name: 'GET /api/attachments/:id',
      call: (token) => api(gw).get(attachmentUrl, { token }),
      expect: {
        owner: 200,
        member: 200,
        outsider: [404, 'NOT_FOUND'],
        anonymous: [401, 'UNAUTHORIZED'],
        revoked: [401, 'UNAUTHORIZED'],
      },
    },
    {
      name: 'GET /api/search?roomId',
      call: (token) => api(gw).get(`/api/search?q=${secret}&roomId=${roomId}`, { token }),
      expect: {
        owner: 200,
        member: 200,
        outsider: 200,
        anonymous: [401, 'UNAUTHORIZED'],
        revoked: [401, 'UNAUTHORIZED'],
      },
    },
  ];

  it.each(HTTP.map((p) => [p.name, p] as const))('%s', async (_name, path) => {
    for (const caller of CALLERS) {
      const res = await path.call(tokenOf(caller));
      const wanted = path.expect[caller];
      const [status, code] = Array.isArray(wanted) ? wanted : [wanted, undefined];
      expect({ caller, status: res.status, code: res.body?.error?.code }).toEqual({ caller, status, code });
      if (caller === 'outsider' || caller === 'anonymous' || caller === 'revoked') {
        expect({ caller, leaks: leaks(res.text) }).toEqual({ caller, leaks: false });
      }
    }
  });

  it('lets the owner and the member find the message by search, and nobody else', async () => {
    await waitFor(
      async () =>
        (await api(gw).get(`/api/search?q=${secret}`, { token: who.member.token })).body.results?.length === 1,
      5000,
      'indexed',
    );
    const outsider = await api(gw).get(`/api/search?q=${secret}`, { token: who.outsider.token });
    expect(outsider.body.results).toEqual([]);
  });

  /** Socket events: the ack's outcome per caller with a socket (no session cannot connect at all). */
  const SOCKET: {
    name: string;
    event: string;
    payload: () => Json;
    expect: Record<'owner' | 'member' | 'outsider', true | string>;
  }[] = [
    {
      name: 'room:join',
      event: 'room:join',
      payload: () => ({ roomId, afterSeq: 0 }),
      expect: { owner: true, member: true, outsider: 'FORBIDDEN' },
    },
    {
      name: 'message:send',
      event: 'message:send',
      payload: () => ({ roomId, clientMsgId: newClientMsgId(), body: 'hello' }),
      expect: { owner: true, member: true, outsider: 'FORBIDDEN' },
    },
    {
      name: "message:edit (the owner's message)",
      event: 'message:edit',
      payload: () => ({ messageId: message.id, body: `${secret} edited` }),
      expect: { owner: true, member: 'FORBIDDEN', outsider: 'FORBIDDEN' },
    },
    {
      name: 'typing',
      event: 'typing',
      payload: () => ({ roomId, typing: true }),
      expect: { owner: true, member: true, outsider: 'FORBIDDEN' },
    },
    {
      name: 'room:read',
      event: 'room:read',
      payload: () => ({ roomId, seq: 1 }),
      expect: { owner: true, member: true, outsider: 'FORBIDDEN' },
    },
  ];

  it.each(SOCKET.map((e) => [e.name, e] as const))('socket %s', async (_name, e) => {
    for (const caller of ['owner', 'member', 'outsider'] as const) {
      const socket: Socket = await connectSocket(stack.gatewayUrls[1], who[caller].token);
      const ack = await emitAck(socket, e.event, e.payload());
      const got = ack.ok === true ? true : ack.error?.code;
      expect({ caller, got }).toEqual({ caller, got: e.expect[caller] });
      if (caller === 'outsider') expect(leaks(JSON.stringify(ack))).toBe(false);
      socket.close();
    }
  });

  it('refuses a socket without a session or with a revoked one (UNAUTHORIZED)', async () => {
    for (const token of ['', who.revoked.token]) {
      await expect(connectSocket(gw, token)).rejects.toThrow(/UNAUTHORIZED|unauthorized|session/i);
    }
  });

  it("lets the member not delete the owner's message, then the owner delete it", async () => {
    const sm = await connectSocket(gw, who.member.token);
    expect((await emitAck(sm, 'message:delete', { messageId: message.id })).error?.code).toBe('FORBIDDEN');
    const sx = await connectSocket(gw, who.outsider.token);
    const outsider = await emitAck(sx, 'message:delete', { messageId: message.id });
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(outsider.error?.code);
    const so = await connectSocket(gw, who.owner.token);
    expect((await emitAck(so, 'message:delete', { messageId: message.id })).ok).toBe(true);
  });
});
