import { KeyedMutex } from './keyed-mutex';

const tick = () => new Promise((r) => setImmediate(r));

describe(KeyedMutex.name, () => {
  it('runs the tasks of one key one at a time, in arrival order', async () => {
    const sut = new KeyedMutex();
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const task = (name: string) => async () => {
      running++;
      most = Math.max(most, running);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all([sut.run('r', task('a')), sut.run('r', task('b')), sut.run('r', task('c'))]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(most).toBe(1);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('lets different keys run side by side', async () => {
    const sut = new KeyedMutex();
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
    };
    await Promise.all([sut.run('a', task), sut.run('b', task)]);
    expect(most).toBe(2);
  });

  it('goes on after a failed task and hands the failure to its caller only', async () => {
    const sut = new KeyedMutex();
    const failed = sut.run('r', () => Promise.reject(new Error('boom')));
    const next = sut.run('r', () => Promise.resolve('ok'));
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });

  it('forgets a key once its queue is empty', async () => {
    const sut = new KeyedMutex();
    await sut.run('r', () => Promise.resolve(1));
    await tick();
    expect(sut.size).toBe(0);
  });
});
