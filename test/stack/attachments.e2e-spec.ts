import { createHash, randomBytes } from 'node:crypto';
import {
  Json,
  Session,
  api,
  closeAllSockets,
  collect,
  connectSocket,
  emitAck,
  newClientMsgId,
  registerAndLogin,
} from '../harness/client';
import { createRoom, expectAckError, expectError } from '../harness/contract';
import { Stack, startStack } from '../harness/stack';

jest.setTimeout(60_000);

/** Small, so that 413 costs little; still above one 256 KiB chunk so uploads span several. */
/** The eight bytes every PNG file starts with. */
const PNG_SIGNATURE = Buffer.from('89504e470d0a1a0a', 'hex');
const LIMIT = 600 * 1024;
const sha = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

interface Upload {
  status: number;
  body: Json;
}

/** A real multipart upload, as a browser's FormData sends it. */
async function upload(
  baseUrl: string,
  token: string,
  roomId: string,
  bytes: Buffer,
  type: string,
  name = 'file.bin',
  field = 'file',
): Promise<Upload> {
  const form = new FormData();
  form.append(field, new Blob([bytes], { type }), name);
  const res = await fetch(`${baseUrl}/api/rooms/${roomId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function download(baseUrl: string, token: string, url: string): Promise<{ res: Response; bytes: Buffer }> {
  const res = await fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('attachments across gateways', () => {
  let stack: Stack;
  let gw: string[];
  let a: Session;
  let b: Session;
  let outsider: Session;
  let roomId: string;

  beforeAll(async () => {
    stack = await startStack({ gateways: 2, appEnv: { gateway: { ATTACHMENT_MAX_BYTES: String(LIMIT) } } });
    gw = stack.gatewayUrls;
    [a, b, outsider] = await Promise.all([
      registerAndLogin(gw[0], 'attA'),
      registerAndLogin(gw[1], 'attB'),
      registerAndLogin(gw[1], 'attC'),
    ]);
    roomId = (await createRoom(gw[0], a.token, 'att-room', 'private', [b.user.username])).id;
  }, 120_000);

  afterEach(() => closeAllSockets());
  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  it('uploads on one gateway; a member on the other sees message:new and downloads the same bytes', async () => {
    const bytes = Buffer.concat([PNG_SIGNATURE, randomBytes(300 * 1024)]);
    const up = await upload(gw[0], a.token, roomId, bytes, 'image/png', 'photo.png');
    expect(up.status).toBe(201);
    const { attachment } = up.body;
    expect(attachment).toEqual({
      id: expect.any(String),
      name: 'photo.png',
      type: 'image/png',
      size: bytes.length,
      url: `/api/attachments/${attachment.id}`,
    });

    const [sa, sb] = await Promise.all([connectSocket(gw[0], a.token), connectSocket(gw[1], b.token)]);
    const onB = collect(sb, 'message:new');
    const ack = await emitAck(sa, 'message:send', {
      roomId,
      clientMsgId: newClientMsgId(),
      body: '',
      attachmentIds: [attachment.id],
    });
    expect(ack.ok).toBe(true);
    expect(ack.message).toMatchObject({ body: '', attachments: [attachment] });
    await onB.until((items) => items.some((m: Json) => m.id === ack.message.id));
    expect(onB.items.find((m: Json) => m.id === ack.message.id)).toEqual(ack.message);

    const { res, bytes: got } = await download(gw[1], b.token, attachment.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="photo.png"/);
    expect(sha(got)).toBe(sha(bytes));

    const page = await api(gw[1]).get(`/api/rooms/${roomId}/messages`, { token: b.token });
    expect(page.body.messages.find((m: Json) => m.id === ack.message.id)).toEqual(ack.message);
  });

  it('serves non-images as attachments and hides files from non-members (404), as unknown ids', async () => {
    const up = await upload(gw[1], b.token, roomId, Buffer.from('%PDF-1.4 tiny'), 'application/pdf', 'r "1".pdf');
    expect(up.status).toBe(201);
    const { res } = await download(gw[0], a.token, up.body.attachment.url);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="r _1_.pdf"/);
    expect((await download(gw[0], outsider.token, up.body.attachment.url)).res.status).toBe(404);
    const unknown = await api(gw[0]).get('/api/attachments/does-not-exist', { token: a.token });
    expectError(unknown, 404, 'NOT_FOUND');
    const anonymous = await api(gw[0]).get(up.body.attachment.url);
    expectError(anonymous, 401, 'UNAUTHORIZED');
  });

  it('refuses too large (413), script-capable types (415), a missing file (400) and outsiders', async () => {
    const big = await upload(gw[0], a.token, roomId, randomBytes(LIMIT + 1), 'image/png');
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    // Far past the limit too: the client still gets the 413, not a reset connection.
    const huge = await upload(gw[1], a.token, roomId, randomBytes(8 * LIMIT), 'application/pdf');
    expect(huge.status).toBe(413);
    for (const type of ['text/html', 'image/svg+xml']) {
      const res = await upload(gw[0], a.token, roomId, Buffer.from('<script>alert(1)</script>'), type);
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    // The type comes from the content: bytes that are no PNG, and markup declared as text, are refused.
    const notPng = await upload(gw[0], a.token, roomId, randomBytes(1024), 'image/png', 'fake.png');
    expect([notPng.status, notPng.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const htmlAsText = await upload(gw[1], a.token, roomId, Buffer.from('<html><script>x()</script>'), 'text/plain');
    expect([htmlAsText.status, htmlAsText.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    // A real PNG declared as a PDF is stored and served as what it is.
    const relabelled = await upload(
      gw[0],
      a.token,
      roomId,
      Buffer.concat([PNG_SIGNATURE, randomBytes(64)]),
      'application/pdf',
    );
    expect(relabelled.status).toBe(201);
    expect(relabelled.body.attachment.type).toBe('image/png');
    const wrongField = await upload(gw[0], a.token, roomId, Buffer.from('x'), 'text/plain', 'a.txt', 'other');
    expect(wrongField.status).toBe(400);
    const json = await api(gw[0]).post(`/api/rooms/${roomId}/attachments`, { file: 'x' }, { token: a.token });
    expectError(json, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const empty = await fetch(`${gw[0]}/api/rooms/${roomId}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${a.token}` },
      body: new FormData(),
    });
    expect(empty.status).toBe(400);
    const outside = await upload(gw[0], outsider.token, roomId, Buffer.from('x'), 'text/plain');
    expect([403, 404]).toContain(outside.status);
    const noRoom = await upload(gw[0], a.token, 'no-such-room', Buffer.from('x'), 'text/plain');
    expect(noRoom.status).toBe(404);
  });

  it("rejects another user's upload or an unknown id in message:send, and keeps retries idempotent", async () => {
    const bUpload = (await upload(gw[1], b.token, roomId, Buffer.from('b file'), 'text/plain', 'b.txt')).body;
    const sa = await connectSocket(gw[0], a.token);
    for (const id of [bUpload.attachment.id, 'no-such-upload']) {
      const ack = await emitAck(sa, 'message:send', { roomId, clientMsgId: newClientMsgId(), attachmentIds: [id] });
      expectAckError(ack, 'NOT_FOUND');
    }
    const mine = (await upload(gw[0], a.token, roomId, Buffer.from('a file'), 'text/plain', 'a.txt')).body;
    const payload = { roomId, clientMsgId: newClientMsgId(), body: 'with a file', attachmentIds: [mine.attachment.id] };
    const first = await emitAck(sa, 'message:send', payload);
    const retry = await emitAck(sa, 'message:send', payload);
    expect(first.ok).toBe(true);
    expect(retry).toEqual(first);
    expect(first.message.attachments).toEqual([mine.attachment]);
  });
});
