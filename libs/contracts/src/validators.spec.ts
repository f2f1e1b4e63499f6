import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { JoinRoomRequest, SendMessageRequest } from './chat/chat.payloads';

describe('MessageBody', () => {
  const base = { actor: { id: 'u1', username: 'alice' }, roomId: 'r1', clientMsgId: 'c1' };
  const errorsOf = (extra: object) =>
    validateSync(plainToInstance(SendMessageRequest, { ...base, ...extra })).map((e) => e.property);

  it('needs 1 to 4000 characters after trimming without attachments', () => {
    expect(errorsOf({ body: 'hi' })).toEqual([]);
    expect(errorsOf({ body: ` ${'😀'.repeat(4000)} ` })).toEqual([]);
    expect(errorsOf({ body: 'x'.repeat(4001) })).toEqual(['body']);
    expect(errorsOf({ body: '   ' })).toEqual(['body']);
    expect(errorsOf({})).toEqual(['body']);
    expect(errorsOf({ body: '', attachmentIds: [] })).toEqual(['body']);
  });

  it('lets the body be empty or absent when attachments are given, never too long or not a string', () => {
    expect(errorsOf({ body: '', attachmentIds: ['a1'] })).toEqual([]);
    expect(errorsOf({ attachmentIds: ['a1'] })).toEqual([]);
    expect(errorsOf({ body: 'x'.repeat(4001), attachmentIds: ['a1'] })).toEqual(['body']);
    expect(errorsOf({ body: 5, attachmentIds: ['a1'] })).toEqual(['body']);
  });

  it('refuses repeated ids and more than ten', () => {
    expect(errorsOf({ body: 'x', attachmentIds: ['a', 'a'] })).toEqual(['attachmentIds']);
    expect(errorsOf({ body: 'x', attachmentIds: Array.from({ length: 11 }, (_, i) => `a${i}`) })).toEqual([
      'attachmentIds',
    ]);
  });
});

describe('OptionalField', () => {
  const actor = { id: 'u1', username: 'alice' };
  const joinErrors = (extra: object) =>
    validateSync(plainToInstance(JoinRoomRequest, { actor, roomId: 'r1', ...extra })).map((e) => e.property);

  it('lets a field be absent, but never null', () => {
    expect(joinErrors({})).toEqual([]);
    expect(joinErrors({ afterSeq: 0 })).toEqual([]);
    expect(joinErrors({ afterSeq: null })).toEqual(['afterSeq']);
    const send = { actor, roomId: 'r1', clientMsgId: 'c1', body: 'x' };
    expect(validateSync(plainToInstance(SendMessageRequest, { ...send, attachmentIds: null })).length).toBe(1);
  });
});
