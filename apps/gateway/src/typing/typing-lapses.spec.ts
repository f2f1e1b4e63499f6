import type { UserView } from '@app/contracts';
import { TypingLapses } from './typing-lapses';
import { TYPING_LAPSE_MS } from './typing-throttle';

const alice: UserView = { id: 'u1', username: 'alice' };
const bob: UserView = { id: 'u2', username: 'bob' };

describe(TypingLapses.name, () => {
  let seen: Array<[string, string, boolean]>;
  let sut: TypingLapses;

  beforeEach(() => {
    jest.useFakeTimers();
    seen = [];
    sut = new TypingLapses((roomId, user, typing) => seen.push([roomId, user.username, typing]));
  });

  afterEach(() => {
    sut.clearAll();
    jest.useRealTimers();
  });

  it('shows a start at once and lapses it 6 s later', () => {
    sut.apply('r1', alice, true);
    expect(seen).toEqual([['r1', 'alice', true]]);
    jest.advanceTimersByTime(TYPING_LAPSE_MS - 1);
    expect(sut.isTyping('r1', 'u1')).toBe(true);
    expect(seen).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(seen).toEqual([
      ['r1', 'alice', true],
      ['r1', 'alice', false],
    ]);
    expect(sut.isTyping('r1', 'u1')).toBe(false);
  });

  it('a refresh passes on and restarts the 6 s', () => {
    sut.apply('r1', alice, true);
    jest.advanceTimersByTime(4000);
    sut.apply('r1', alice, true);
    jest.advanceTimersByTime(TYPING_LAPSE_MS - 1);
    expect(seen.map((s) => s[2])).toEqual([true, true]);
    jest.advanceTimersByTime(1);
    expect(seen.map((s) => s[2])).toEqual([true, true, false]);
  });

  it('a stop ends it at once, once; a stop for someone not shown typing is not passed on', () => {
    sut.apply('r1', bob, false);
    sut.apply('r1', alice, true);
    sut.apply('r1', alice, false);
    sut.apply('r1', alice, false);
    jest.advanceTimersByTime(TYPING_LAPSE_MS * 2);
    expect(seen).toEqual([
      ['r1', 'alice', true],
      ['r1', 'alice', false],
    ]);
  });

  it('times each user and room on its own', () => {
    sut.apply('r1', alice, true);
    jest.advanceTimersByTime(3000);
    sut.apply('r1', bob, true);
    sut.apply('r2', alice, true);
    jest.advanceTimersByTime(3000);
    expect(seen.slice(3)).toEqual([['r1', 'alice', false]]);
    jest.advanceTimersByTime(3000);
    expect(seen.slice(4).sort()).toEqual([
      ['r1', 'bob', false],
      ['r2', 'alice', false],
    ]);
  });

  it('forgets a dropped room without telling anyone', () => {
    sut.apply('r1', alice, true);
    sut.apply('r2', bob, true);
    sut.dropRoom('r1');
    jest.advanceTimersByTime(TYPING_LAPSE_MS);
    expect(seen).toEqual([
      ['r1', 'alice', true],
      ['r2', 'bob', true],
      ['r2', 'bob', false],
    ]);
  });
});
