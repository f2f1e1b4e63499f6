import { MongoClient } from 'mongodb';
import {
  api,
  closeAllSockets,
  connectSocket,
  emitAck,
  newClientMsgId,
  registerAndLogin,
  sleep,
  waitFor,
  type Json,
} from '../harness/client';
import { createRoom } from '../harness/contract';
import { startStack, type Stack } from '../harness/stack';

// Uploads no message carries are deleted, bytes included, after ATTACHMENT_UNUSED_TTL_SECONDS;
// one a message carries stays. A TTL of 2 s here (buckets of 0.5 s).

// Waits on the index, expiry sweeps and a second gateway: generous on a loaded 2-core machine.
jest.setTimeout(60_000);
describe('unused uploads expire', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ appEnv: { message: { ATTACHMENT_UNUSED_TTL_SECONDS: '2' } } });
  }, 120_000);

  afterAll(async () => {
    closeAllSockets();
    await stack?.stop();
  });

  const upload = async (token: string, roomId: string, text: string): Promise<Json> => {
    const form = new FormData();
    form.append('file', new Blob([text], { type: 'text/plain' }), 'note.txt');
    const res = await fetch(`${stack.gatewayUrls[0]}/api/rooms/${roomId}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as Json).attachment;
  };

  it('deletes an upload never sent, with its chunks, and keeps the one a message carries', async () => {
    const gw = stack.gatewayUrls[0];
    const me = await registerAndLogin(gw, 'uploader');
    const roomId = (await createRoom(gw, me.token, 'expiry-room', 'private')).id;
    const unused = await upload(me.token, roomId, 'never sent');
    const sent = await upload(me.token, roomId, 'sent with a message');
    const socket = await connectSocket(gw, me.token);
    const ack = await emitAck(socket, 'message:send', {
      roomId,
      clientMsgId: newClientMsgId(),
      body: '',
      attachmentIds: [sent.id],
    });
    expect(ack.ok).toBe(true);

    const store = await MongoClient.connect(stack.mongoUrl);
    try {
      const chunks = store.db().collection<{ _id: string }>('attachment_chunks');
      expect(await chunks.countDocuments({ _id: `${unused.id}:0` })).toBe(1);
      await waitFor(
        async () => (await api(gw).get(unused.url, { token: me.token })).status === 404,
        15_000,
        'the unused upload gone',
      );
      expect(await chunks.countDocuments({ _id: `${unused.id}:0` })).toBe(0);
      await sleep(2500);
      const kept = await api(gw).get(sent.url, { token: me.token });
      expect(kept.status).toBe(200);
      expect(kept.text).toBe('sent with a message');
      expect(await chunks.countDocuments({ _id: `${sent.id}:0` })).toBe(1);
      // A message can no longer carry the expired upload.
      const late = await emitAck(socket, 'message:send', {
        roomId,
        clientMsgId: newClientMsgId(),
        body: 'late',
        attachmentIds: [unused.id],
      });
      expect(late).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    } finally {
      await store.close();
    }
  });
});
