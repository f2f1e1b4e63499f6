import type { UserView } from '@app/contracts';
import { LocalUsers } from './local-users';

const alice: UserView = { id: 'u1', username: 'alice' };
const bob: UserView = { id: 'u2', username: 'bob' };

describe(LocalUsers.name, () => {
  let sut: LocalUsers;

  beforeEach(() => {
    sut = new LocalUsers();
  });

  it('the first socket of a user is first; a second one adds only rooms not announced yet', () => {
    expect(sut.connect(alice, 's1', ['r1', 'r2'])).toEqual({ first: true, rooms: ['r1', 'r2'] });
    expect(sut.connect(alice, 's2', ['r2', 'r3'])).toEqual({ first: false, rooms: ['r3'] });
    expect(sut.userIds()).toEqual(['u1']);
  });

  it('a room joined by a connected socket is new once; unknown sockets are ignored', () => {
    sut.connect(alice, 's1', ['r1']);
    expect(sut.addRoom('u1', 's1', 'r2')).toBe(true);
    expect(sut.addRoom('u1', 's1', 'r2')).toBe(false);
    expect(sut.addRoom('u1', 's-handshaking', 'r3')).toBe(false);
    expect(sut.addRoom('u9', 's1', 'r3')).toBe(false);
  });

  it('gives the user back only when their last socket goes', () => {
    sut.connect(alice, 's1', ['r1']);
    sut.connect(alice, 's2', []);
    expect(sut.disconnect('u1', 's1')).toBeNull();
    expect(sut.disconnect('u1', 's1')).toBeNull();
    expect(sut.disconnect('u1', 's2')).toEqual({ user: alice, rooms: ['r1'] });
    expect(sut.userIds()).toEqual([]);
    expect(sut.disconnect('u1', 's2')).toBeNull();
  });

  it('answers who it holds in some rooms, with those of their rooms, until their last socket goes', () => {
    sut.connect(alice, 's1', ['r1', 'r2']);
    sut.connect(bob, 's2', ['r2']);
    sut.addRoom('u2', 's2', 'r3');
    expect(sut.heldIn(['r2', 'r3', 'r9'])).toEqual([
      { user: alice, roomIds: ['r2'] },
      { user: bob, roomIds: ['r2', 'r3'] },
    ]);
    sut.disconnect('u1', 's1');
    expect(sut.heldIn(['r1', 'r2'])).toEqual([{ user: bob, roomIds: ['r2'] }]);
    expect(sut.size).toBe(1);
  });
});
