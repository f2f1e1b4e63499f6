import 'reflect-metadata';
import { OriginPolicy } from './origin-policy';

describe(OriginPolicy.name, () => {
  const sut = new OriginPolicy(' https://app.example.com/, http://localhost:5173 ');

  it('allows no Origin (not a cross-site page), its own origin, and listed ones', () => {
    expect(sut.allows(undefined, 'chat.example.com')).toBe(true);
    expect(sut.allows('https://chat.example.com', 'chat.example.com')).toBe(true);
    expect(sut.allows('http://127.0.0.1:3000', '127.0.0.1:3000')).toBe(true);
    expect(sut.allows('https://APP.example.com', 'chat.example.com')).toBe(true);
    expect(sut.allows('http://localhost:5173', 'chat.example.com')).toBe(true);
  });

  it('refuses other origins, null, and garbage', () => {
    expect(sut.allows('https://evil.example', 'chat.example.com')).toBe(false);
    expect(sut.allows('http://127.0.0.1:3001', '127.0.0.1:3000')).toBe(false);
    expect(sut.allows('null', 'chat.example.com')).toBe(false);
    expect(sut.allows('not a url', 'chat.example.com')).toBe(false);
    expect(sut.allows('https://chat.example.com', undefined)).toBe(false);
  });

  it('lists the allowed origins for CORS, none by default', () => {
    expect(sut.origins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(new OriginPolicy('').origins).toEqual([]);
  });
});
