import { toRoomView } from './room-view';
import { Room } from './room.schema';

const base: Room = {
  _id: 'r-1',
  key: 'r-1',
  name: 'team',
  kind: 'private',
  memberCount: 3,
  lastSeq: 9,
  createdBy: 'u-1',
  createdAt: new Date(0),
};

describe(toRoomView.name, () => {
  it('maps a room to the contract shape', () => {
    expect(toRoomView(base, 'u-1')).toEqual({ id: 'r-1', name: 'team', kind: 'private', memberCount: 3, lastSeq: 9 });
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
    expect(toRoomView(dm, 'u-1').name).toBe('bob');
    expect(toRoomView(dm, 'u-2').name).toBe('alice');
  });
});
