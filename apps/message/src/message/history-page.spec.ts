import 'reflect-metadata';
import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import { pageRange, seqsOf } from './history-page';

/** The seqs of a page of a room holding 1..last, and its hasMore. */
const page = (req: { before?: number; after?: number; limit: number }, last: number) => {
  const range = pageRange(req, last);
  return { seqs: seqsOf(range), hasMore: range.hasMore };
};

describe(pageRange.name, () => {
  it('gives the newest page without a cursor; hasMore says older exist', () => {
    expect(page({ limit: 3 }, 7)).toEqual({ seqs: [5, 6, 7], hasMore: true });
    expect(page({ limit: 7 }, 7)).toEqual({ seqs: [1, 2, 3, 4, 5, 6, 7], hasMore: false });
    expect(page({ limit: 50 }, 7)).toEqual({ seqs: [1, 2, 3, 4, 5, 6, 7], hasMore: false });
  });

  it('gives the page just before a cursor', () => {
    expect(page({ before: 5, limit: 3 }, 7)).toEqual({ seqs: [2, 3, 4], hasMore: true });
    expect(page({ before: 4, limit: 3 }, 7)).toEqual({ seqs: [1, 2, 3], hasMore: false });
    expect(page({ before: 2, limit: 3 }, 7)).toEqual({ seqs: [1], hasMore: false });
    expect(page({ before: 1, limit: 3 }, 7)).toEqual({ seqs: [], hasMore: false });
    expect(page({ before: 0, limit: 3 }, 7)).toEqual({ seqs: [], hasMore: false });
  });

  it('clamps a cursor beyond the newest message to the newest', () => {
    expect(page({ before: 1000, limit: 2 }, 7)).toEqual({ seqs: [6, 7], hasMore: true });
  });

  it('gives the page just after a cursor; hasMore says newer exist', () => {
    expect(page({ after: 0, limit: 3 }, 7)).toEqual({ seqs: [1, 2, 3], hasMore: true });
    expect(page({ after: 3, limit: 3 }, 7)).toEqual({ seqs: [4, 5, 6], hasMore: true });
    expect(page({ after: 4, limit: 3 }, 7)).toEqual({ seqs: [5, 6, 7], hasMore: false });
    expect(page({ after: 7, limit: 3 }, 7)).toEqual({ seqs: [], hasMore: false });
    expect(page({ after: 70, limit: 3 }, 7)).toEqual({ seqs: [], hasMore: false });
  });

  it('gives nothing for an empty room, whatever the cursor', () => {
    expect(page({ limit: 3 }, 0)).toEqual({ seqs: [], hasMore: false });
    expect(page({ before: 9, limit: 3 }, 0)).toEqual({ seqs: [], hasMore: false });
    expect(page({ after: 0, limit: 3 }, 0)).toEqual({ seqs: [], hasMore: false });
  });

  it('refuses both cursors at once', () => {
    let thrown: unknown;
    try {
      pageRange({ before: 5, after: 1, limit: 3 }, 7);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).code).toBe(ErrorCode.VALIDATION_FAILED);
  });
});
