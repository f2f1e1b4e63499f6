import 'reflect-metadata';
import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import { normalizeContentEncoding } from './content-encoding';

describe(normalizeContentEncoding.name, () => {
  it('keeps one supported coding, in the form the body parser takes', () => {
    expect(normalizeContentEncoding('gzip')).toBe('gzip');
    expect(normalizeContentEncoding(' GZIP ')).toBe('gzip');
    expect(normalizeContentEncoding('x-gzip')).toBe('gzip');
    expect(normalizeContentEncoding('deflate')).toBe('deflate');
    expect(normalizeContentEncoding('br')).toBe('br');
  });

  it('drops identity, alone or beside one coding', () => {
    expect(normalizeContentEncoding(undefined)).toBeNull();
    expect(normalizeContentEncoding('identity')).toBeNull();
    expect(normalizeContentEncoding('')).toBeNull();
    expect(normalizeContentEncoding('identity, gzip')).toBe('gzip');
  });

  it('refuses unknown and stacked codings with 415', () => {
    for (const header of ['bogus', 'gzip, br', 'compress', 'zstd', 'gzip;q=1']) {
      let code: unknown;
      try {
        normalizeContentEncoding(header);
      } catch (err) {
        code = err instanceof DomainError ? err.code : err;
      }
      expect(code).toBe(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
    }
  });
});
