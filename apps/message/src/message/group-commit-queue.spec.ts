import { GroupCommitQueue, Ticket } from './group-commit-queue';

const tick = () => new Promise((r) => setImmediate(r));

/** A commit the test completes by hand, recording each batch it was given. */
class ManualCommit {
  readonly batches: { key: string; items: number[] }[] = [];
  private readonly pending: { batch: Ticket<number, string>[]; done: () => void; fail: (e: Error) => void }[] = [];

  readonly commit = (key: string, batch: Ticket<number, string>[]) => {
    this.batches.push({ key, items: batch.map((t) => t.item) });
    return new Promise<void>((done, fail) => this.pending.push({ batch, done, fail }));
  };

  /** Resolves every ticket of the oldest running commit with `<item>` and ends it. */
  async finishOldest(): Promise<void> {
    const next = this.pending.shift()!;
    for (const t of next.batch) t.resolve(`ok ${t.item}`);
    next.done();
    await tick();
  }

  async failOldest(err: Error, resolveFirst = false): Promise<void> {
    const next = this.pending.shift()!;
    if (resolveFirst) next.batch[0].resolve(`ok ${next.batch[0].item}`);
    next.fail(err);
    await tick();
  }

  get running(): number {
    return this.pending.length;
  }
}

describe(GroupCommitQueue.name, () => {
  const limits = { maxBatch: 3, maxQueuedPerKey: 5, maxQueued: 8 };
  let commits: ManualCommit;
  let sut: GroupCommitQueue<number, string>;

  beforeEach(() => {
    commits = new ManualCommit();
    sut = new GroupCommitQueue(limits, commits.commit);
  });

  it('commits the first item at once and groups what arrives meanwhile, in order, maxBatch at a time', async () => {
    const results = [1, 2, 3, 4, 5].map((i) => sut.submit('r', i)!);
    await tick();
    expect(commits.batches).toEqual([{ key: 'r', items: [1] }]);
    expect(sut.size).toBe(4);
    await commits.finishOldest();
    expect(commits.batches[1]).toEqual({ key: 'r', items: [2, 3, 4] });
    expect(commits.running).toBe(1); // one commit per key at a time
    await commits.finishOldest();
    expect(commits.batches[2]).toEqual({ key: 'r', items: [5] });
    await commits.finishOldest();
    await expect(Promise.all(results)).resolves.toEqual(['ok 1', 'ok 2', 'ok 3', 'ok 4', 'ok 5']);
    expect(sut.size).toBe(0);
  });

  it('commits different keys side by side', async () => {
    void sut.submit('a', 1);
    void sut.submit('b', 2);
    await tick();
    expect(commits.running).toBe(2);
    expect(commits.batches.map((b) => b.key).sort()).toEqual(['a', 'b']);
  });

  it('refuses past the waiting line of a key, and past the total, without committing the refused', async () => {
    const accepted = Array.from({ length: 6 }, (_, i) => sut.submit('r', i)); // 1 committing + 5 waiting
    expect(accepted.every((p) => p !== null)).toBe(true);
    expect(sut.submit('r', 99)).toBeNull();
    expect(sut.submit('s', 1)).not.toBeNull(); // another key still has room (committed at once)
    for (const i of [2, 3, 4]) expect(sut.submit('s', i)).not.toBeNull(); // waiting: 5 + 3 = 8
    expect(sut.submit('t', 1)).toBeNull();
    await commits.finishOldest(); // r takes 3 more: room for new items again
    expect(sut.submit('r', 100)).not.toBeNull();
    expect(commits.batches.flatMap((b) => b.items)).not.toContain(99);
  });

  it('rejects the tickets a failing commit left open, keeps those it settled, and goes on with the key', async () => {
    const first = sut.submit('r', 1)!;
    await tick();
    const second = sut.submit('r', 2)!;
    const third = sut.submit('r', 3)!;
    await commits.finishOldest();
    await commits.failOldest(new Error('boom'), true);
    await expect(first).resolves.toBe('ok 1');
    await expect(second).resolves.toBe('ok 2');
    await expect(third).rejects.toThrow('boom');
    const later = sut.submit('r', 4)!;
    await tick();
    await commits.finishOldest();
    await expect(later).resolves.toBe('ok 4');
  });
});

describe(Ticket.name, () => {
  it('settles once: a later resolve or reject changes nothing', async () => {
    const sut = new Ticket<number, string>(1);
    expect(sut.settled).toBe(false);
    sut.resolve('a');
    sut.reject(new Error('late'));
    sut.resolve('b');
    expect(sut.settled).toBe(true);
    await expect(sut.promise).resolves.toBe('a');
  });
});
