import { isDatabaseUnavailable, isDuplicateKey, isTtlUnsupported } from './mongo-errors';

const named = (name: string, message = 'x') => Object.assign(new Error(message), { name });
const coded = (code: number, message = 'x') => Object.assign(new Error(message), { code });

describe(isDuplicateKey.name, () => {
  it('recognises a unique-index violation by its code alone, as FerretDB reports it', () => {
    expect(isDuplicateKey(coded(11000, 'E11000 duplicate key'))).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(isDuplicateKey(coded(11001))).toBe(false);
    expect(isDuplicateKey(new Error('E11000'))).toBe(false);
    expect(isDuplicateKey(null)).toBe(false);
  });
});

describe(isTtlUnsupported.name, () => {
  it("recognises FerretDB's refusal of expireAfterSeconds", () => {
    expect(isTtlUnsupported(coded(238, 'Index option "expireAfterSeconds" is not implemented yet'))).toBe(true);
  });

  it('leaves other NotImplemented and index errors alone', () => {
    expect(isTtlUnsupported(coded(238, 'Index option "collation" is not implemented yet'))).toBe(false);
    expect(isTtlUnsupported(coded(85, 'expireAfterSeconds conflicts with an existing index'))).toBe(false);
  });
});

describe(isDatabaseUnavailable.name, () => {
  it('recognises a database that does not answer', () => {
    expect(isDatabaseUnavailable(named('MongoServerSelectionError', 'connect ECONNREFUSED 127.0.0.1:27017'))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(named('MongoNetworkError'))).toBe(true);
    expect(isDatabaseUnavailable(named('MongooseServerSelectionError'))).toBe(true);
    expect(
      isDatabaseUnavailable(named('MongooseError', 'Operation `users.findOne()` buffering timed out after 10000ms')),
    ).toBe(true);
  });

  it('sees a lost connection wrapped in a bulk write error', () => {
    const network = named('MongoNetworkError', 'connect ECONNREFUSED 127.0.0.1:27017');
    expect(isDatabaseUnavailable(Object.assign(named('MongoBulkWriteError'), { errorResponse: network }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(named('MongoBulkWriteError'), { cause: network }))).toBe(true);
    const duplicate = Object.assign(named('MongoServerError', 'E11000'), { code: 11000 });
    expect(isDatabaseUnavailable(Object.assign(named('MongoBulkWriteError'), { errorResponse: duplicate }))).toBe(
      false,
    );
  });

  it('leaves every other error alone', () => {
    expect(
      isDatabaseUnavailable(Object.assign(named('MongoServerError', 'E11000 duplicate key'), { code: 11000 })),
    ).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable('MongoNetworkError')).toBe(false);
  });
});
