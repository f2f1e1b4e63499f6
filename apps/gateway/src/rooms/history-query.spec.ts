import 'reflect-metadata';
import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import { parseHistoryQuery } from './history-query';

function codeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : undefined;
  }
  return undefined;
}

describe(parseHistoryQuery.name, () => {
  it('defaults to the newest 50', () => {
    expect(parseHistoryQuery({})).toEqual({ before: undefined, after: undefined, limit: 50 });
  });

  it('reads before and limit, and after alone', () => {
    expect(parseHistoryQuery({ before: '10', limit: '5' })).toEqual({ before: 10, after: undefined, limit: 5 });
    expect(parseHistoryQuery({ after: '0' })).toEqual({ before: undefined, after: 0, limit: 50 });
  });

  it('accepts the limit bounds 1 and 100', () => {
    expect(parseHistoryQuery({ limit: '1' }).limit).toBe(1);
    expect(parseHistoryQuery({ limit: '100' }).limit).toBe(100);
  });

  it.each([
    [{ limit: '0' }],
    [{ limit: '101' }],
    [{ limit: 'ten' }],
    [{ limit: '' }],
    [{ before: '1.5' }],
    [{ before: '-1' }],
    [{ after: '1e3' }],
    [{ after: '+3' }],
    [{ before: ['1', '2'] }],
    [{ before: '9999999999999999' }],
    [{ before: '1', after: '2' }],
    [{ 'before[$gt]': '0' }],
    [{ 'limit[$ne]': '1' }],
  ])('refuses %j with VALIDATION_FAILED', (query) => {
    expect(codeOf(() => parseHistoryQuery(query))).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('ignores parameters it does not know', () => {
    expect(parseHistoryQuery({ _: '123', limit: '7' }).limit).toBe(7);
  });
});
