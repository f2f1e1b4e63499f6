import 'reflect-metadata';
import { ErrorCode } from '@app/contracts';
import { DomainError } from '@app/errors';
import { pageOf, planPage } from './history-page';

const seqs = (...n: number[]) => n.map((seq) => ({ seq }));

describe(planPage.name, () => {
  it('walks down from the newest without a cursor', () => {
    expect(planPage({ limit: 50 })).toEqual({ before: undefined, order: 'desc', fetch: 51 });
  });

  it('walks down from before', () => {
    expect(planPage({ before: 10, limit: 3 })).toEqual({ before: 10, order: 'desc', fetch: 4 });
  });

  it('walks up from after, 0 included', () => {
    expect(planPage({ after: 0, limit: 3 })).toEqual({ after: 0, order: 'asc', fetch: 4 });
  });

  it('refuses both cursors at once', () => {
    expect(() => planPage({ before: 5, after: 1, limit: 3 })).toThrow(DomainError);
    try {
      planPage({ before: 5, after: 1, limit: 3 });
    } catch (err) {
      expect((err as DomainError).code).toBe(ErrorCode.VALIDATION_FAILED);
    }
  });
});

describe(pageOf.name, () => {
  it('turns a descending fetch into an ascending page and reports older ones from the extra item', () => {
    const query = planPage({ before: 8, limit: 3 });
    expect(pageOf(seqs(7, 6, 5, 4), query)).toEqual({ items: seqs(5, 6, 7), hasMore: true });
  });

  it('says nothing more when the fetch came back short', () => {
    const query = planPage({ limit: 3 });
    expect(pageOf(seqs(2, 1), query)).toEqual({ items: seqs(1, 2), hasMore: false });
  });

  it('says nothing more when the fetch came back exactly full', () => {
    const query = planPage({ limit: 3 });
    expect(pageOf(seqs(3, 2, 1), query)).toEqual({ items: seqs(1, 2, 3), hasMore: false });
  });

  it('keeps an ascending fetch in order and reports newer ones from the extra item', () => {
    const query = planPage({ after: 2, limit: 2 });
    expect(pageOf(seqs(3, 4, 5), query)).toEqual({ items: seqs(3, 4), hasMore: true });
  });

  it('handles an empty room', () => {
    expect(pageOf([], planPage({ after: 0, limit: 10 }))).toEqual({ items: [], hasMore: false });
  });
});
