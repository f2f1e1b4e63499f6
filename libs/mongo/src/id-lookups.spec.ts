import { IdLookups } from './id-lookups';

const tick = () => new Promise((r) => setImmediate(r));

describe(IdLookups.name, () => {
  it('answers the lookups of one turn with one query of their distinct ids, null for the missing', async () => {
    const queries: string[][] = [];
    const sut = new IdLookups<{ _id: string; v: number }>((ids) => {
      queries.push(ids);
      return Promise.resolve(ids.filter((id) => id !== 'none').map((id) => ({ _id: id, v: id.length })));
    });
    const answers = await Promise.all(['a', 'bb', 'a', 'none'].map((id) => sut.find(id)));
    expect(queries).toEqual([['a', 'bb', 'none']]);
    expect(answers).toEqual([{ _id: 'a', v: 1 }, { _id: 'bb', v: 2 }, { _id: 'a', v: 1 }, null]);
  });

  it('puts lookups asked for while a query is under way in the next query, started after them', async () => {
    const queries: string[][] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const sut = new IdLookups<{ _id: string }>(async (ids) => {
      queries.push(ids);
      if (queries.length === 1) await held;
      return ids.map((id) => ({ _id: id }));
    });
    const first = sut.find('x');
    await tick();
    const later = [sut.find('x'), sut.find('y')];
    await tick();
    expect(queries).toEqual([['x']]);
    release();
    await Promise.all([first, ...later]);
    expect(queries).toEqual([['x'], ['x', 'y']]);
  });

  it('fails every lookup of a query that fails', async () => {
    const sut = new IdLookups<{ _id: string }>(() => Promise.reject(new Error('store down')));
    await expect(Promise.all([sut.find('a'), sut.find('b')])).rejects.toThrow('store down');
  });
});
