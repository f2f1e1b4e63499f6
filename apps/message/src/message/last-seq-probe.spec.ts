import { probeLastSeq } from './last-seq-probe';

/** A room holding seqs 1..last, counting the lookups made. */
function room(last: number) {
  const asked: number[] = [];
  const exists = (seq: number) => {
    asked.push(seq);
    return Promise.resolve(seq >= 1 && seq <= last);
  };
  return { exists, asked };
}

describe(probeLastSeq.name, () => {
  it('confirms an exact hint with one lookup', async () => {
    const r = room(40);
    await expect(probeLastSeq(40, r.exists)).resolves.toBe(40);
    expect(r.asked).toEqual([41]);
  });

  it('finds an empty room', async () => {
    await expect(probeLastSeq(0, room(0).exists)).resolves.toBe(0);
  });

  it.each([1, 2, 3, 7, 8, 9, 100, 1023, 1024, 5000])(
    'finds %i from a hint of 0 in logarithmic lookups',
    async (last) => {
      const r = room(last);
      await expect(probeLastSeq(0, r.exists)).resolves.toBe(last);
      expect(r.asked.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(last + 2)) + 2);
    },
  );

  it('finds a few seqs past a lagging hint', async () => {
    await expect(probeLastSeq(10, room(13).exists)).resolves.toBe(13);
  });
});
