import { toRoomView } from './room-view';
import { Room } from './room.schema';

const base: Room = {
  _id: 'r-1',
  key: 'r-1',
  name: 'team',
  kind: 'private',
  memberCount: 1,
  lastSeq: 2,
  createdBy: 'u-1',
  createdAt: new Date(0),
};
const stats = { memberCount: 3, lastSeq: 9 };

describe(toRoomView.name, () => {
  it('maps a room to the contract shape, with the counted stats rather than its hints', () => {
    expect(toRoomView(base, 'u-1', stats)).toEqual({
      id: 'r-1',
      name: 'team',
      kind: 'private',
      memberCount: 3,
      lastSeq: 9,
    });
  });

  it("names a direct room after the viewer's peer, for each of them", () => {
    const dm: Room = {
      ...base,
      kind: 'direct',
      name: '',
      participants: [
        { id: 'u-1', username: 'alice' },
        { id: 'u-2', username: 'bob' },
      ],
    };
    expect(toRoomView(dm, 'u-1', stats).name).toBe('bob');
    expect(toRoomView(dm, 'u-2', stats).name).toBe('alice');
  });

  it("counts unread from the viewer's read pointer, never below zero, only when given one", () => {
    expect(toRoomView(base, 'u-1', stats, 4).unread).toBe(5);
    expect(toRoomView(base, 'u-1', stats, 9).unread).toBe(0);
    expect(toRoomView(base, 'u-1', stats, 12).unread).toBe(0);
    expect(toRoomView(base, 'u-1', stats)).not.toHaveProperty('unread');
  });
});
