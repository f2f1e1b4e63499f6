import { directRoomKey } from './room-key';

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
