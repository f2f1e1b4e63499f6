import { readCookie, sessionCookieOptions } from './session-cookie';

describe(readCookie.name, () => {
  it('finds the named cookie among others', () => {
    expect(readCookie('a=1; sid=abc%2Fdef; b=2', 'sid')).toBe('abc/def');
  });

  it('does not match a cookie whose name only ends with the wanted one', () => {
    expect(readCookie('xsid=nope', 'sid')).toBeUndefined();
  });

  it('unquotes a quoted value and tolerates a missing header', () => {
    expect(readCookie('sid="tok"', 'sid')).toBe('tok');
    expect(readCookie(undefined, 'sid')).toBeUndefined();
  });
});

describe(sessionCookieOptions.name, () => {
  it('is HttpOnly, Lax, path / and lives until the session expires', () => {
    const now = Date.parse('2030-01-01T00:00:00.000Z');
    const sut = sessionCookieOptions(false, '2030-01-01T01:00:00.000Z', now);
    expect(sut).toEqual({ httpOnly: true, sameSite: 'lax', path: '/', secure: false, maxAge: 3_600_000 });
  });

  it('is Secure when configured so', () => {
    expect(sessionCookieOptions(true).secure).toBe(true);
  });
});
