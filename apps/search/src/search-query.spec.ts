import { authorTag, matchExpression, parseQuery, roomTag } from './search-query';

describe('parseQuery', () => {
  it('splits words, "quoted phrases" and from:name', () => {
    expect(parseQuery('Hello "big world" from:Alice_1 café')).toEqual({
      phrases: ['Hello', 'big world', 'café'],
      from: 'alice_1',
    });
  });

  it('keeps engine syntax as plain words, drops what has no letter or digit', () => {
    expect(parseQuery('a AND b* NEAR( body:x -- !!!')).toEqual({ phrases: ['a', 'AND', 'b*', 'NEAR(', 'body:x'] });
    expect(parseQuery('"unclosed phrase')).toEqual({ phrases: ['unclosed phrase'] });
  });

  it('is null when nothing is left to search, or from: names no possible user', () => {
    expect(parseQuery('   ')).toBeNull();
    expect(parseQuery('"" !!')).toBeNull();
    expect(parseQuery('from:')).toBeNull();
    expect(parseQuery('hi from:a')).toBeNull();
  });
});

describe('matchExpression', () => {
  it('quotes every phrase and scopes to public rooms and the member rooms', () => {
    const q = parseQuery('say "it is" o"brien')!;
    expect(matchExpression(q, ['r-1'])).toBe(
      `body : ("say" AND "it is" AND "o""brien") AND tags : (pub OR ${roomTag('r-1')})`,
    );
  });

  it('narrows to one room and one author', () => {
    const q = parseQuery('x from:Bob')!;
    expect(matchExpression(q, [], 'room')).toBe(
      `body : ("x") AND tags : (pub) AND tags : ${roomTag('room')} AND tags : ${authorTag('bob')}`,
    );
    expect(authorTag('Bob')).toBe(authorTag('bob'));
  });
});
