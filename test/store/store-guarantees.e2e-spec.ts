import { MongoClient, Db } from 'mongodb';
import { freshMongoUrl } from '../harness/infra';

jest.setTimeout(60_000);

/**
 * What the services rely on from the store, checked on the one the suites run against (the
 * project's FerretDB build by default; a real mongod when TEST_MONGO_URL names one): single
 * documents are updated atomically, and `_id` equality is served from the `_id` index whatever
 * else the filter holds.
 */
describe('the document store', () => {
  let client: MongoClient;
  let db: Db;
  let ferret = false;

  beforeAll(async () => {
    const url = freshMongoUrl('store');
    client = new MongoClient(url);
    await client.connect();
    db = client.db();
    const info = await db.command({ buildInfo: 1 });
    ferret = typeof info.ferretdb === 'object' || JSON.stringify(info).toLowerCase().includes('ferret');
  });

  afterAll(async () => {
    await db?.dropDatabase();
    await client?.close();
  });

  const many = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

  it('applies concurrent $inc, $addToSet and $pull on one document without losing any', async () => {
    const sut = db.collection<{ _id: string; n: number; set: number[] }>('inc');
    await sut.insertOne({ _id: 'a', n: 0, set: [] });
    await many(200, (i) => sut.updateOne({ _id: 'a' }, { $inc: { n: 1 }, $addToSet: { set: i } }));
    let doc = await sut.findOne({ _id: 'a' });
    expect(doc?.n).toBe(200);
    expect(new Set(doc?.set).size).toBe(200);
    await many(100, (i) => sut.updateOne({ _id: 'a' }, { $pull: { set: i * 2 } }));
    doc = await sut.findOne({ _id: 'a' });
    expect(doc?.set).toHaveLength(100);
    expect(doc?.set.every((v) => v % 2 === 1)).toBe(true);
  });

  it('creates a document once under concurrent upserts, and counts every one', async () => {
    const sut = db.collection<{ _id: string; n: number }>('upsert');
    await many(50, () => sut.updateOne({ _id: 'u' }, { $inc: { n: 1 } }, { upsert: true }));
    expect((await sut.findOne({ _id: 'u' }))?.n).toBe(50);
  });

  it('hands a document to exactly one of many concurrent findOneAndDelete calls', async () => {
    const sut = db.collection<{ _id: string }>('fad');
    await sut.insertOne({ _id: 'd' });
    const results = await many(20, () => sut.findOneAndDelete({ _id: 'd' }));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('applies a conditional update atomically: a guard on a field admits exactly one writer', async () => {
    const sut = db.collection<{ _id: string; owner?: number }>('cas');
    await sut.insertOne({ _id: 'c' });
    const results = await many(30, (i) =>
      sut.updateOne({ _id: 'c', owner: { $exists: false } }, { $set: { owner: i } }),
    );
    expect(results.filter((r) => r.modifiedCount === 1)).toHaveLength(1);
  });

  it('serves _id equality from the _id index, alone and beside other conditions', async () => {
    const sut = db.collection<{ _id: string; v: number; at?: Date }>('explain');
    await sut.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `k${i}`, v: i, at: new Date() })));
    const filters = [
      { _id: 'k7' },
      { _id: 'k7', v: { $lt: 10 } },
      { _id: 'k7', at: { $lte: new Date() } },
      { _id: 'k7', $or: [{ v: 1 }, { v: { $gt: 5 } }] },
    ];
    for (const filter of filters) {
      const plan = JSON.stringify(await sut.find(filter).explain());
      if (ferret) expect(plan).toMatch(/USING INDEX \S+__id_/);
      else expect(plan).toMatch(/IDHACK|EXPRESS_IXSCAN|"indexName":"_id_"/);
      expect(await sut.countDocuments(filter)).toBe(1);
    }
    expect(await sut.findOne({ _id: 'k7', v: { $gt: 10 } })).toBeNull();
  });

  it('serves _id $in from the _id index, one search per value', async () => {
    const sut = db.collection<{ _id: string; v: number }>('explain_in');
    await sut.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: `k${i}`, v: i })));
    const filter = { _id: { $in: ['k3', 'k9', 'k41', 'nope'] } };
    const plan = JSON.stringify(await sut.find(filter).explain());
    if (ferret) expect(plan).toMatch(/USING INDEX \S+__id_/);
    else expect(plan).toMatch(/IXSCAN|EXPRESS|"indexName":"_id_"/);
    const found = await sut.find(filter).toArray();
    expect(found.map((d) => d.v).sort((a, b) => a - b)).toEqual([3, 9, 41]);
    expect(await sut.countDocuments({ _id: { $in: ['k3', 'k9'] }, v: { $gt: 5 } })).toBe(1);
  });
});
