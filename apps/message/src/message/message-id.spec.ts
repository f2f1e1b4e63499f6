import { messageIdOf, parseMessageId, sendKeyOf } from './message-id';

describe(messageIdOf.name, () => {
  it('names a message by its room and seq', () => {
    expect(messageIdOf('r-1', 7)).toBe('r-1:7');
  });

  it('cannot be confused by a room id that contains the separator', () => {
    expect(messageIdOf('a:1', 2)).not.toBe(messageIdOf('a', 1));
    expect(messageIdOf('a:1', 2)).toBe('a%3A1:2');
  });
});

describe(sendKeyOf.name, () => {
  it('names the same send for the same user and clientMsgId', () => {
    expect(sendKeyOf('u-1', 'c-1')).toBe(sendKeyOf('u-1', 'c-1'));
  });

  it('is a version 5 UUID', () => {
    expect(sendKeyOf('u-1', 'c-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differs across users and across clientMsgIds, even when the strings run together', () => {
    const keys = new Set([
      sendKeyOf('u-1', 'c-1'),
      sendKeyOf('u-2', 'c-1'),
      sendKeyOf('u-1', 'c-2'),
      sendKeyOf('u-1c', '-1'),
      sendKeyOf('u', '-1c-1'),
    ]);
    expect(keys.size).toBe(5);
  });
});

describe(parseMessageId.name, () => {
  it('gives back the room and seq of an id it issued', () => {
    expect(parseMessageId(messageIdOf('r-1', 7))).toEqual({ roomId: 'r-1', seq: 7 });
    expect(parseMessageId(messageIdOf('a:1', 2))).toEqual({ roomId: 'a:1', seq: 2 });
  });

  it('names nothing for any other form', () => {
    for (const id of [
      '',
      'r-1',
      ':3',
      'r-1:',
      'r-1:0',
      'r-1:07',
      'r-1:1.5',
      'r-1:-1',
      'a:1:2',
      '%E0%A4%A:1',
      'r-1:1e3',
    ]) {
      expect(parseMessageId(id)).toBeNull();
    }
  });
});
