import 'reflect-metadata';
import {
  ATTACHMENT_CHUNK_BYTES,
  ChatSubject,
  ErrorCode,
  EventSubject,
  RoomEvent,
  RoomView,
  UserView,
} from '@app/contracts';
import { createHash, randomBytes } from 'node:crypto';
import { MessageServiceFixture, aUser } from './message-service.fixture';

jest.setTimeout(60_000);

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('message service: attachments', () => {
  const fx = new MessageServiceFixture();
  const owner = aUser('owner');
  const bob = aUser('bob');
  const carol = aUser('carol');
  let room: RoomView;
  let publicRoom: RoomView;
  let n = 0;

  /** Uploads `bytes` the way the gateway does: begin, each chunk, commit. */
  async function upload(actor: UserView, roomId: string, bytes: Buffer, commit = true) {
    const { attachment } = await fx.request(ChatSubject.BeginUpload, {
      actor,
      roomId,
      name: 'f.bin',
      type: 'application/octet-stream',
      size: bytes.length,
    });
    const count = Math.max(1, Math.ceil(bytes.length / ATTACHMENT_CHUNK_BYTES));
    for (let index = 0; index < count; index++) {
      const data = bytes.subarray(index * ATTACHMENT_CHUNK_BYTES, (index + 1) * ATTACHMENT_CHUNK_BYTES);
      await fx.request(ChatSubject.UploadChunk, {
        actor,
        attachmentId: attachment.id,
        index,
        data: data.toString('base64'),
      });
    }
    if (commit) await fx.request(ChatSubject.CommitUpload, { actor, attachmentId: attachment.id });
    return attachment;
  }

  async function download(actor: UserView, attachmentId: string): Promise<Buffer> {
    const { chunks } = await fx.request(ChatSubject.GetAttachment, { actor, attachmentId });
    const parts: Buffer[] = [];
    for (let index = 0; index < chunks; index++) {
      const { data } = await fx.request(ChatSubject.ReadChunk, { actor, attachmentId, index });
      parts.push(Buffer.from(data, 'base64'));
    }
    return Buffer.concat(parts);
  }

  beforeAll(async () => {
    await fx.start(1);
    room = (await fx.request(ChatSubject.CreateRoom, { actor: owner, name: 'files', kind: 'private', members: [bob] }))
      .room;
    publicRoom = (await fx.request(ChatSubject.CreateRoom, { actor: owner, name: 'open', kind: 'public', members: [] }))
      .room;
  });
  afterAll(() => fx.stop());

  it('stores a multi-chunk upload and gives members the identical bytes', async () => {
    const bytes = randomBytes(2 * ATTACHMENT_CHUNK_BYTES + 1234);
    const attachment = await upload(bob, room.id, bytes);
    expect(attachment).toMatchObject({ name: 'f.bin', type: 'application/octet-stream', size: bytes.length });
    expect(attachment.url).toBe(`/api/attachments/${attachment.id}`);
    expect(sha(await download(owner, attachment.id))).toBe(sha(bytes));
  });

  it('sends a message with attachments and an empty body, shown in the event and in history', async () => {
    const events = fx.record<RoomEvent>(EventSubject.room(room.id));
    const a = await upload(bob, room.id, Buffer.from('hello'));
    const b = await upload(bob, room.id, Buffer.alloc(0));
    const clientMsgId = `c${++n}`;
    const req = { actor: bob, roomId: room.id, clientMsgId, body: '', attachmentIds: [a.id, b.id] };
    const { message } = await fx.request(ChatSubject.SendMessage, req);
    expect(message.body).toBe('');
    expect(message.attachments).toEqual([a, b]);
    const event = await events.waitFor((e) => e.type === 'message.new');
    expect(event).toEqual({ type: 'message.new', message, roomKind: 'private' });
    const { messages } = await fx.request(ChatSubject.History, { actor: owner, roomId: room.id, limit: 100 });
    expect(messages.find((m) => m.id === message.id)).toEqual(message);
    // An identical retry returns the stored message, attachments included.
    expect((await fx.request(ChatSubject.SendMessage, req)).message).toEqual(message);
    events.close();
  });

  it('refuses an empty body without attachments, and repeated or too many ids', async () => {
    const base = { actor: bob, roomId: room.id, clientMsgId: `c${++n}` };
    expect(await fx.codeOf(ChatSubject.SendMessage, { ...base, body: '  ' })).toBe(ErrorCode.VALIDATION_FAILED);
    expect(await fx.codeOf(ChatSubject.SendMessage, { ...base, body: '', attachmentIds: [] })).toBe(
      ErrorCode.VALIDATION_FAILED,
    );
    expect(await fx.codeOf(ChatSubject.SendMessage, { ...base, body: 'x', attachmentIds: ['a', 'a'] })).toBe(
      ErrorCode.VALIDATION_FAILED,
    );
    const many = Array.from({ length: 11 }, (_, i) => `a${i}`);
    expect(await fx.codeOf(ChatSubject.SendMessage, { ...base, body: 'x', attachmentIds: many })).toBe(
      ErrorCode.VALIDATION_FAILED,
    );
  });

  it("answers NOT_FOUND for an unknown, another user's, another room's or an unfinished upload", async () => {
    const owners = await upload(owner, room.id, Buffer.from('mine'));
    const elsewhere = await upload(bob, publicRoom.id, Buffer.from('there'));
    const unfinished = await upload(bob, room.id, Buffer.from('later'), false);
    for (const id of ['nope', owners.id, elsewhere.id, unfinished.id]) {
      const req = { actor: bob, roomId: room.id, clientMsgId: `c${++n}`, body: 'x', attachmentIds: [id] };
      expect(await fx.codeOf(ChatSubject.SendMessage, req)).toBe(ErrorCode.NOT_FOUND);
    }
    expect(await fx.codeOf(ChatSubject.GetAttachment, { actor: bob, attachmentId: unfinished.id })).toBe(
      ErrorCode.NOT_FOUND,
    );
  });

  it('lets only members read, whatever the room kind, and only posters upload', async () => {
    const secret = await upload(bob, room.id, Buffer.from('secret'));
    expect(await fx.codeOf(ChatSubject.GetAttachment, { actor: carol, attachmentId: secret.id })).toBe(
      ErrorCode.NOT_FOUND,
    );
    expect(await fx.codeOf(ChatSubject.ReadChunk, { actor: carol, attachmentId: secret.id, index: 0 })).toBe(
      ErrorCode.NOT_FOUND,
    );
    const open = await upload(owner, publicRoom.id, Buffer.from('public'));
    expect(await fx.codeOf(ChatSubject.GetAttachment, { actor: carol, attachmentId: open.id })).toBe(
      ErrorCode.NOT_FOUND,
    );
    const begin = { actor: carol, roomId: room.id, name: 'x', type: 'text/plain', size: 1 };
    expect(await fx.codeOf(ChatSubject.BeginUpload, begin)).toBe(ErrorCode.FORBIDDEN);
    // Uploading to a public room joins it, as posting does; then carol may read its files.
    await upload(carol, publicRoom.id, Buffer.from('hi'));
    expect((await download(carol, open.id)).toString()).toBe('public');
  });

  it('checks chunks: exact lengths, in range, all present before commit, only by the uploader', async () => {
    const { attachment } = await fx.request(ChatSubject.BeginUpload, {
      actor: bob,
      roomId: room.id,
      name: 'x',
      type: 'text/plain',
      size: 10,
    });
    const chunk = (index: number, data: string, actor = bob): Promise<string> =>
      fx.codeOf(ChatSubject.UploadChunk, { actor, attachmentId: attachment.id, index, data });
    expect(await chunk(0, Buffer.from('short').toString('base64'))).toBe(ErrorCode.VALIDATION_FAILED);
    expect(await chunk(1, Buffer.from('0123456789').toString('base64'))).toBe(ErrorCode.VALIDATION_FAILED);
    expect(await chunk(0, Buffer.from('0123456789').toString('base64'), owner)).toBe(ErrorCode.NOT_FOUND);
    expect(await fx.codeOf(ChatSubject.CommitUpload, { actor: bob, attachmentId: attachment.id })).toBe(
      ErrorCode.VALIDATION_FAILED,
    );
    expect(await chunk(0, Buffer.from('0123456789').toString('base64'))).toBe('OK');
    await fx.request(ChatSubject.CommitUpload, { actor: bob, attachmentId: attachment.id });
    expect((await download(owner, attachment.id)).toString()).toBe('0123456789');
  });
});
