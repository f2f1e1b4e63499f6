/// <reference types="jest" />
import {
  TYPING_FALLBACK_MS,
  TYPING_IDLE_MS,
  TYPING_REFRESH_MS,
  TypingRoster,
  TypingSender,
  typingText,
} from './typing';

describe(TypingSender.name, () => {
  let sent: boolean[];
  let sut: TypingSender;

  beforeEach(() => {
    jest.useFakeTimers();
    sent = [];
    sut = new TypingSender((typing) => sent.push(typing));
  });

  afterEach(() => {
    sut.stop();
    jest.useRealTimers();
  });

  it('starts once on the first keystroke and repeats every 3 s while keystrokes keep coming', () => {
    sut.input('h');
    sut.input('he');
    expect(sent).toEqual([true]);
    jest.advanceTimersByTime(TYPING_REFRESH_MS - 1);
    sut.input('hel');
    jest.advanceTimersByTime(1);
    expect(sent).toEqual([true, true]);
    jest.advanceTimersByTime(TYPING_REFRESH_MS);
    expect(sent).toEqual([true, true, true]);
  });

  it('stops once when the text is cleared, and a blur or send after that sends nothing', () => {
    sut.input('hello');
    sut.input('   ');
    sut.stop();
    jest.advanceTimersByTime(TYPING_REFRESH_MS * 3);
    expect(sent).toEqual([true, false]);
  });

  it('stops by itself after a quiet spell', () => {
    sut.input('hello');
    jest.advanceTimersByTime(TYPING_IDLE_MS + TYPING_REFRESH_MS);
    expect(sent[sent.length - 1]).toBe(false);
    expect(sent.filter((s) => !s)).toHaveLength(1);
    const count = sent.length;
    jest.advanceTimersByTime(TYPING_REFRESH_MS * 3);
    expect(sent).toHaveLength(count);
  });
});

describe(TypingRoster.name, () => {
  let changes: string[];
  let sut: TypingRoster;
  const alice = { id: 'u1', username: 'alice' };
  const bob = { id: 'u2', username: 'bob' };

  beforeEach(() => {
    jest.useFakeTimers();
    changes = [];
    sut = new TypingRoster((roomId) => changes.push(roomId));
  });

  afterEach(() => {
    sut.clear();
    jest.useRealTimers();
  });

  it('lists who types per room, and forgets them on typing false', () => {
    sut.apply({ roomId: 'r1', user: bob, typing: true });
    sut.apply({ roomId: 'r1', user: alice, typing: true });
    sut.apply({ roomId: 'r2', user: alice, typing: true });
    expect(sut.names('r1')).toEqual(['alice', 'bob']);
    sut.apply({ roomId: 'r1', user: bob, typing: false });
    expect(sut.names('r1')).toEqual(['alice']);
    expect(changes).toEqual(['r1', 'r1', 'r2', 'r1']);
  });

  it('a refresh changes nothing on screen; a lost stop is covered by the fallback timer', () => {
    sut.apply({ roomId: 'r1', user: alice, typing: true });
    jest.advanceTimersByTime(TYPING_FALLBACK_MS - 1000);
    sut.apply({ roomId: 'r1', user: alice, typing: true });
    expect(changes).toEqual(['r1']);
    jest.advanceTimersByTime(TYPING_FALLBACK_MS - 1);
    expect(sut.names('r1')).toEqual(['alice']);
    jest.advanceTimersByTime(1);
    expect(sut.names('r1')).toEqual([]);
  });

  it('a message from the typer ends their typing', () => {
    sut.apply({ roomId: 'r1', user: alice, typing: true });
    sut.stopped('r1', 'u1');
    sut.stopped('r1', 'u1');
    expect(sut.names('r1')).toEqual([]);
    expect(changes).toEqual(['r1', 'r1']);
  });
});

describe(typingText.name, () => {
  it('names one or two typers and summarises more', () => {
    expect(typingText([])).toBe('');
    expect(typingText(['alice'])).toBe('alice is typing…');
    expect(typingText(['alice', 'bob'])).toBe('alice and bob are typing…');
    expect(typingText(['a', 'b', 'c'])).toBe('Several people are typing…');
  });
});
