import { parseSearchParams } from './search-params';

describe('parseSearchParams', () => {
  it('takes q, roomId, before and limit, with limit 20 by default', () => {
    expect(parseSearchParams({ q: ' hello ', roomId: 'r1', before: 'MTIz', limit: '5', other: 'x' })).toEqual({
      q: 'hello',
      roomId: 'r1',
      before: 'MTIz',
      limit: 5,
    });
    expect(parseSearchParams({ q: 'x' })).toEqual({ q: 'x', limit: 20 });
  });

  it.each([
    [{}],
    [{ q: '   ' }],
    [{ q: 'x'.repeat(201) }],
    [{ q: 'x', limit: '0' }],
    [{ q: 'x', limit: '51' }],
    [{ q: 'x', limit: '1.5' }],
    [{ q: 'x', before: 'not a cursor!' }],
    [{ q: ['a', 'b'] }],
    [{ 'q[$ne]': '' }],
  ])('refuses %j as VALIDATION_FAILED', (query) => {
    expect(() => parseSearchParams(query)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('counts characters, not UTF-16 units, against the 200 limit', () => {
    expect(parseSearchParams({ q: '😀'.repeat(200) }).q).toHaveLength(400);
  });
});
