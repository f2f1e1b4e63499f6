import { hashSessionToken, isWellFormedToken, newSessionToken } from './session-token';

describe(newSessionToken.name, () => {
  it('issues 32 random bytes as unpadded base64url', () => {
    const sut = newSessionToken();
    expect(sut).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(sut, 'base64url')).toHaveLength(32);
  });

  it('never issues the same token twice', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => newSessionToken()));
    expect(tokens.size).toBe(1000);
  });
});

describe(hashSessionToken.name, () => {
  it('is the SHA-256 of the token, stable and different from it', () => {
    const token = newSessionToken();
    const sut = hashSessionToken(token);
    expect(sut).toBe(hashSessionToken(token));
    expect(sut).not.toBe(token);
    expect(Buffer.from(sut, 'base64url')).toHaveLength(32);
    expect(hashSessionToken('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('gives different tokens different hashes', () => {
    expect(hashSessionToken(newSessionToken())).not.toBe(hashSessionToken(newSessionToken()));
  });
});

describe(isWellFormedToken.name, () => {
  it('accepts what we issue', () => {
    expect(isWellFormedToken(newSessionToken())).toBe(true);
  });

  it('refuses anything of another shape', () => {
    const token = newSessionToken();
    expect(isWellFormedToken(token.slice(1))).toBe(false);
    expect(isWellFormedToken(`${token}=`)).toBe(false);
    expect(isWellFormedToken(`${token.slice(1)}+`)).toBe(false);
    expect(isWellFormedToken('')).toBe(false);
  });
});
