import { PendingCall, CommandCombiner } from './command-combiner';

const tick = () => new Promise((r) => setImmediate(r));

describe(CommandCombiner.name, () => {
  it('writes calls of one turn together, and calls made during a write together in the next one', async () => {
    const commands: number[][] = [];
    let release!: () => void;
    let hold = new Promise<void>((r) => (release = r));
    const sut = new CommandCombiner<number, void>(async (batch) => {
      commands.push(batch.flatMap((p) => p.docs));
      await hold;
      for (const p of batch) p.resolve();
      return [];
    }, 100);

    const first = [sut.submit([1, 2]), sut.submit([3])];
    await tick();
    const second = [sut.submit([4]), sut.submit([5, 6])];
    await tick();
    expect(commands).toEqual([[1, 2, 3]]);
    hold = Promise.resolve();
    release();
    await Promise.all([...first, ...second]);
    expect(commands).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('keeps each caller whole and under maxItems per command, a larger caller alone', async () => {
    const commands: number[][] = [];
    const sut = new CommandCombiner<number, void>((batch) => {
      commands.push(batch.flatMap((p) => p.docs));
      for (const p of batch) p.resolve();
      return Promise.resolve([]);
    }, 4);
    await Promise.all([sut.submit([1, 2, 3]), sut.submit([4, 5]), sut.submit([6, 7, 8, 9, 10]), sut.submit([11])]);
    expect(commands).toEqual([[1, 2, 3], [4, 5], [6, 7, 8, 9, 10], [11]]);
  });

  it('puts the callers a write did not try first in the next command', async () => {
    const commands: string[][] = [];
    let calls = 0;
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    const sut = new CommandCombiner<string, void>(async (batch) => {
      commands.push(batch.flatMap((p) => p.docs));
      await hold;
      if (calls++ > 0) {
        for (const p of batch) p.resolve();
        return [];
      }
      batch[0].reject(new Error('refused'));
      return batch.slice(1);
    }, 10);
    const a = sut.submit(['a']);
    const b = sut.submit(['b']);
    await tick();
    const c = sut.submit(['c']);
    release();
    await expect(a).rejects.toThrow('refused');
    await Promise.all([b, c]);
    expect(commands).toEqual([
      ['a', 'b'],
      ['b', 'c'],
    ]);
  });

  it('answers every caller of a command that throws with its error, and goes on with the next', async () => {
    let calls = 0;
    const sut = new CommandCombiner<number, void>((batch: PendingCall<number, void>[]) => {
      if (calls++ === 0) return Promise.reject(new Error('connection reset'));
      for (const p of batch) p.resolve();
      return Promise.resolve([]);
    }, 10);
    const failed = [sut.submit([1]), sut.submit([2])];
    await expect(Promise.all(failed)).rejects.toThrow('connection reset');
    await expect(failed[1]).rejects.toThrow('connection reset');
    await expect(sut.submit([3])).resolves.toBeUndefined();
  });

  it('fails the callers of a write that answered none of them rather than looping', async () => {
    const sut = new CommandCombiner<number, void>((batch) => Promise.resolve(batch), 10);
    await expect(sut.submit([1])).rejects.toThrow('answered no caller');
  });
});
