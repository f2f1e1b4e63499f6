import { isDuplicateKey } from '@app/mongo';
import { reportedRefusal } from './batch-outcome';
import { RefusedAt, StoredIfReportRight, orderedInsert, unorderedInsert } from './combined-inserts';
import { PendingCall } from '@app/mongo';

interface Answer<R> {
  ok?: R;
  err?: unknown;
}

function callers<R>(...parts: string[][]): { batch: PendingCall<string, R>[]; answers: Answer<R>[] } {
  const answers: Answer<R>[] = parts.map(() => ({}));
  const batch = parts.map((docs, i) => ({
    docs,
    resolve: (ok: R) => (answers[i].ok = ok),
    reject: (err: unknown) => (answers[i].err = err),
  }));
  return { batch, answers };
}

const duplicateAt = (index: number) =>
  Object.assign(new Error('E11000 duplicate key error'), { code: 11000, writeErrors: [{ index, code: 11000 }] });

describe('orderedInsert', () => {
  it('writes every caller’s documents in one command, in order, and answers them all', async () => {
    const commands: string[][] = [];
    const sut = orderedInsert<string>((docs) => {
      commands.push(docs);
      return Promise.resolve();
    });
    const { batch, answers } = callers<void>(['a1', 'a2'], ['b1'], ['c1', 'c2']);
    expect(await sut(batch)).toEqual([]);
    expect(commands).toEqual([['a1', 'a2', 'b1', 'c1', 'c2']]);
    expect(answers.every((a) => 'ok' in a && a.err === undefined)).toBe(true);
  });

  it('on a refusal, gives its caller the refusal at its own position, asks earlier callers to look up, returns later ones', async () => {
    const sut = orderedInsert<string>(() => Promise.reject(duplicateAt(3))); // b2
    const { batch, answers } = callers<void>(['a1', 'a2'], ['b1', 'b2', 'b3'], ['c1']);
    const untried = await sut(batch);
    expect(untried).toEqual([batch[2]]);
    expect(answers[0].err).toBeInstanceOf(StoredIfReportRight);
    expect(isDuplicateKey(answers[0].err)).toBe(true);
    expect(reportedRefusal(answers[0].err, 2)).toBeUndefined();
    expect(answers[1].err).toBeInstanceOf(RefusedAt);
    expect(isDuplicateKey(answers[1].err)).toBe(true);
    expect(reportedRefusal(answers[1].err, 3)).toBe(1);
    expect(answers[2]).toEqual({});
  });

  it('places a refusal at the first document of a caller in that caller', async () => {
    const sut = orderedInsert<string>(() => Promise.reject(duplicateAt(2)));
    const { batch, answers } = callers<void>(['a1', 'a2'], ['b1'], ['c1']);
    expect(await sut(batch)).toEqual([batch[2]]);
    expect(reportedRefusal(answers[1].err, 1)).toBe(0);
  });

  it('throws a failure it cannot place (not a duplicate, or no position): every caller looks its documents up', async () => {
    const network = Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' });
    await expect(orderedInsert<string>(() => Promise.reject(network))(callers<void>(['a'], ['b']).batch)).rejects.toBe(
      network,
    );
    const unplaced = Object.assign(new Error('E11000'), { code: 11000 });
    await expect(orderedInsert<string>(() => Promise.reject(unplaced))(callers<void>(['a'], ['b']).batch)).rejects.toBe(
      unplaced,
    );
  });
});

describe('unorderedInsert', () => {
  const positions = (err: unknown) =>
    (err as { refused?: number[] }).refused ? new Set((err as { refused: number[] }).refused) : null;

  it('tells each caller which of its own documents were refused', async () => {
    const refusal = Object.assign(new Error('E11000'), { refused: [1, 2, 5] });
    const sut = unorderedInsert<string>(() => Promise.reject(refusal), positions);
    const { batch, answers } = callers<Set<number>>(['a1', 'a2'], ['b1'], ['c1', 'c2', 'c3']);
    expect(await sut(batch)).toEqual([]);
    expect(answers.map((a) => [...(a.ok ?? [])])).toEqual([[1], [0], [2]]);
  });

  it('refuses nothing when the command succeeds, and throws what is not only duplicates', async () => {
    const ok = unorderedInsert<string>(() => Promise.resolve(), positions);
    const { batch, answers } = callers<Set<number>>(['a'], ['b']);
    await ok(batch);
    expect(answers.map((a) => a.ok?.size)).toEqual([0, 0]);
    const down = new Error('down');
    await expect(unorderedInsert<string>(() => Promise.reject(down), positions)(batch)).rejects.toBe(down);
  });
});
