import { isDatabaseUnavailable, isDuplicateKey, isTtlUnsupported } from './mongo-errors';

function mongoError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe(isTtlUnsupported.name, () => {
  it("recognises FerretDB's refusal of the expireAfterSeconds option", () => {
    const err = mongoError(238, 'Index option "expireAfterSeconds" is not implemented yet');
    expect(isTtlUnsupported(err)).toBe(true);
  });

  it('does not excuse other NotImplemented errors', () => {
    expect(isTtlUnsupported(mongoError(238, 'Index option "partialFilterExpression" is not implemented yet'))).toBe(
      false,
    );
  });

  it('does not excuse other failures that mention the option', () => {
    expect(isTtlUnsupported(mongoError(85, 'Index with name expiresAt_1 already exists with expireAfterSeconds'))).toBe(
      false,
    );
    expect(isTtlUnsupported(new Error('expireAfterSeconds'))).toBe(false);
    expect(isTtlUnsupported(undefined)).toBe(false);
  });
});

describe(isDuplicateKey.name, () => {
  it('is true for code 11000 only', () => {
    expect(isDuplicateKey(mongoError(11000, 'E11000 duplicate key error collection: db.users'))).toBe(true);
    expect(isDuplicateKey(mongoError(11001, 'something else'))).toBe(false);
    expect(isDuplicateKey('E11000')).toBe(false);
  });
});

describe(isDatabaseUnavailable.name, () => {
  const named = (name: string, message = 'boom') => Object.assign(new Error(message), { name });

  it('is true when the server cannot be reached', () => {
    expect(isDatabaseUnavailable(named('MongoServerSelectionError', 'connect ECONNREFUSED 127.0.0.1:27017'))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(named('MongoNetworkError'))).toBe(true);
    expect(
      isDatabaseUnavailable(named('MongooseError', 'Operation `users.findOne()` buffering timed out after 10000ms')),
    ).toBe(true);
  });

  it('is false when the server answered with an error', () => {
    expect(
      isDatabaseUnavailable(Object.assign(named('MongoServerError', 'E11000 duplicate key'), { code: 11000 })),
    ).toBe(false);
    expect(isDatabaseUnavailable(named('MongooseError', 'Model.find() no longer accepts a callback'))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable('MongoNetworkError')).toBe(false);
  });
});
