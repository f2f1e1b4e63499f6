import { isDuplicateKeyError } from './mongo-errors';

describe(isDuplicateKeyError.name, () => {
  it('recognises a unique-index violation by its code alone, as FerretDB reports it', () => {
    expect(isDuplicateKeyError(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }))).toBe(true);
  });

  it('leaves other errors alone', () => {
    expect(isDuplicateKeyError(Object.assign(new Error('x'), { code: 11001 }))).toBe(false);
    expect(isDuplicateKeyError(new Error('E11000'))).toBe(false);
    expect(isDuplicateKeyError(null)).toBe(false);
  });
});
