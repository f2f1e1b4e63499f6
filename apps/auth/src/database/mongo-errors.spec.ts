import { isDuplicateKey, isTtlUnsupported } from './mongo-errors';

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
