import { directRoomIdOf, directRoomKey } from './room-key';

describe(directRoomKey.name, () => {
  it('is the same whichever user opens the room', () => {
    expect(directRoomKey('u-2', 'u-1')).toBe(directRoomKey('u-1', 'u-2'));
    expect(directRoomKey('u-1', 'u-2')).toBe('dm:u-1:u-2');
  });

  it('differs for different pairs', () => {
    expect(directRoomKey('a', 'b')).not.toBe(directRoomKey('a', 'c'));
  });

  it('cannot be forged by ids that contain the separator', () => {
    expect(directRoomKey('a:b', 'c')).not.toBe(directRoomKey('a', 'b:c'));
  });
});

describe(directRoomIdOf.name, () => {
  it('is a UUID, the same for both sides of a pair, different for another pair', () => {
    const id = directRoomIdOf(directRoomKey('u-1', 'u-2'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(directRoomIdOf(directRoomKey('u-2', 'u-1'))).toBe(id);
    expect(directRoomIdOf(directRoomKey('u-1', 'u-3'))).not.toBe(id);
  });
});
