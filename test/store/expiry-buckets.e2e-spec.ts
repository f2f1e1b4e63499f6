import { MongoClient, Db } from 'mongodb';
import { ExpiryBucket, ExpiryBuckets } from '@app/mongo';
import { freshMongoUrl } from '../harness/infra';

jest.setTimeout(60_000);

describe(ExpiryBuckets.name, () => {
  let client: MongoClient;
  let db: Db;
  const MINUTE = 60_000;

  beforeAll(async () => {
    client = new MongoClient(freshMongoUrl('expiry'));
    await client.connect();
    db = client.db();
  });

  afterAll(async () => {
    await db?.dropDatabase();
    await client?.close();
  });

  it('deletes what expired in periods that are over, by _id, and keeps the rest', async () => {
    const target = db.collection<{ _id: string; expiresAt: Date }>('things');
    const buckets = db.collection<ExpiryBucket>('buckets');
    const sut = new ExpiryBuckets(buckets, { name: 'things', collection: target as never, field: 'expiresAt' });
    const now = Date.now();
    // Start the cursor two hours back, as if the sweeper had been running.
    await sut.sweep(new Date(now - 120 * MINUTE));
    const docs = [
      ...Array.from({ length: 40 }, (_, i) => ({ _id: `old${i}`, expiresAt: new Date(now - 90 * MINUTE + i * 1000) })),
      ...Array.from({ length: 5 }, (_, i) => ({ _id: `new${i}`, expiresAt: new Date(now + 10 * MINUTE) })),
    ];
    await target.insertMany(docs);
    await Promise.all(docs.map((d) => sut.schedule(d._id, d.expiresAt)));
    // Extended after being scheduled (and so scheduled again): its old bucket does not delete it.
    await target.updateOne({ _id: 'old0' }, { $set: { expiresAt: new Date(now + 60 * MINUTE) } });
    await sut.schedule('old0', new Date(now + 60 * MINUTE));

    expect(await sut.sweep(new Date(now))).toBe(39);
    expect((await target.find({}).toArray()).map((d) => d._id).sort()).toEqual(
      ['new0', 'new1', 'new2', 'new3', 'new4', 'old0'].sort(),
    );
    // Swept buckets are gone; the future ones wait.
    const left = await buckets.find({ ids: { $exists: true } }).toArray();
    expect(left.flatMap((b) => b.ids ?? []).sort()).toEqual(['new0', 'new1', 'new2', 'new3', 'new4', 'old0'].sort());
  });

  it('sweeps a bounded number of periods per run and resumes where it stopped', async () => {
    const target = db.collection<{ _id: string; expiresAt: Date }>('bounded');
    const buckets = db.collection<ExpiryBucket>('buckets2');
    const sut = new ExpiryBuckets(
      buckets,
      { name: 'bounded', collection: target as never, field: 'expiresAt' },
      { maxPeriodsPerRun: 10, shards: 2 },
    );
    const now = Date.now();
    await sut.sweep(new Date(now - 30 * MINUTE));
    const docs = Array.from({ length: 25 }, (_, i) => ({ _id: `d${i}`, expiresAt: new Date(now - (25 - i) * MINUTE) }));
    await target.insertMany(docs);
    await Promise.all(docs.map((d) => sut.schedule(d._id, d.expiresAt)));
    const runs: number[] = [];
    for (let i = 0; i < 4; i++) runs.push(await sut.sweep(new Date(now)));
    expect(runs.reduce((a, b) => a + b, 0)).toBe(25);
    expect(runs[0]).toBeLessThan(25);
    expect(await target.countDocuments({})).toBe(0);
  });
});
