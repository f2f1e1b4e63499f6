#!/usr/bin/env node
// node scripts/bench/store-facts.mjs [--docs 100000] [--mongo-url mongodb://…]
//
// What the store serves from an index, measured: p50/p99 of `_id` equality, `_id $in` (50 ids),
// equality on another (indexed) field, find + sort + limit, and an update by `_id`, on a collection
// of --docs documents; and the decoding cost of one document of 1,000 nested documents against one
// of 1,000 strings; and what the send path's writes cost the store itself: its CPU per batch of 20
// send keys and 20 messages (two ordered insertMany, as the message service writes them under load;
// a private FerretDB only, read from /proc). Defaults to a private FerretDB (the project's build).
// One JSON line on stdout.
import { MongoClient } from 'mongodb';
import { parseArgs } from 'node:util';
import { BenchStack, cpuSeconds, log, percentile, round } from './stack-runner.mjs';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '100000' },
    'mongo-url': { type: 'string', default: process.env.MONGO_URL },
  },
});
const DOCS = Number(values.docs);

async function time(n, f) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f(i);
    times.push(performance.now() - t);
  }
  return { p50_ms: round(percentile(times, 50), 2), p99_ms: round(percentile(times, 99), 2) };
}

/** The store's CPU per send batch: 20 send keys, then their 20 messages, each an ordered insertMany. */
async function sendBatchCost(db, pid, batches = 500) {
  const keys = db.collection('send_keys_probe');
  const messages = db.collection('messages_probe');
  const storeCpu = () => cpuSeconds({ store: pid }).store * 1000;
  const before = storeCpu();
  const started = performance.now();
  for (let b = 0, n = 0; b < batches; b++) {
    const keyDocs = [];
    const messageDocs = [];
    for (let i = 0; i < 20; i++, n++) {
      const author = { id: `user-${n % 200}`, username: `user_${n % 200}` };
      keyDocs.push({ _id: `key-${n}`, messageId: `room:${n}`, owner: 'writer', at: new Date() });
      messageDocs.push({
        _id: `room:${n}`,
        roomId: 'room',
        seq: n,
        author,
        body: `message ${n}`,
        createdAt: new Date(),
      });
    }
    await keys.insertMany(keyDocs, { ordered: true });
    await messages.insertMany(messageDocs, { ordered: true });
  }
  return {
    store_cpu_ms: round((storeCpu() - before) / batches, 2),
    wall_ms: round((performance.now() - started) / batches, 2),
  };
}

async function main() {
  const stack = new BenchStack({ mongoUrl: values['mongo-url'], database: `facts_${Date.now().toString(36)}` });
  await stack.startInfra();
  const client = await MongoClient.connect(stack.mongoUrl);
  try {
    const db = client.db();
    const col = db.collection('docs');
    await col.createIndex({ key: 1 }, { unique: true });
    await col.createIndex({ group: 1, at: -1 });
    log(`inserting ${DOCS} documents…`);
    const started = Date.now();
    for (let i = 0; i < DOCS; i += 1000) {
      const batch = [];
      for (let j = i; j < Math.min(DOCS, i + 1000); j++) {
        batch.push({ _id: `doc-${j}`, key: `key-${j}`, group: j % 100, at: new Date(j * 1000), body: 'x'.repeat(200) });
      }
      await col.insertMany(batch, { ordered: false });
    }
    const insertPerSecond = Math.round(DOCS / ((Date.now() - started) / 1000));
    const pick = () => Math.floor(Math.random() * DOCS);
    const slow = Math.max(5, Math.min(50, Math.round(2e6 / DOCS)));
    const ops = {
      id_equality: await time(500, () => col.findOne({ _id: `doc-${pick()}` })),
      id_in_50: await time(200, () =>
        col.find({ _id: { $in: Array.from({ length: 50 }, () => `doc-${pick()}`) } }).toArray(),
      ),
      other_field_equality: await time(slow, () => col.findOne({ key: `key-${pick()}` })),
      find_sort_limit: await time(slow, () =>
        col
          .find({ group: pick() % 100 })
          .sort({ at: -1 })
          .limit(20)
          .toArray(),
      ),
      update_by_id: await time(300, () => col.updateOne({ _id: `doc-${pick()}` }, { $inc: { n: 1 } })),
    };
    const nested = {};
    const strings = [];
    for (let i = 0; i < 1000; i++) {
      nested[`u${i}`] = { username: `user_${i}`, role: 'member', joinedAt: new Date() };
      strings.push(`u${i} member ${Date.now()} user_${i}`);
    }
    await db.collection('shapes').insertMany([
      { _id: 'nested', members: nested },
      { _id: 'strings', members: strings },
    ]);
    ops.read_1000_nested_documents = await time(50, () => db.collection('shapes').findOne({ _id: 'nested' }));
    ops.read_1000_strings = await time(50, () => db.collection('shapes').findOne({ _id: 'strings' }));
    const pid = stack.ferretdb?.pid;
    if (pid) ops.send_batch_20 = await sendBatchCost(db, pid);
    const info = await db.command({ buildInfo: 1 });
    const store =
      'ferretdbVersion' in info ? `ferretdb-sqlite (mongodb wire ${info.version})` : `mongod ${info.version}`;
    console.log(JSON.stringify({ store, docs: DOCS, insert_per_second: insertPerSecond, ops }));
  } finally {
    await client.close();
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(`[bench] ${err.stack || err.message}`);
  process.exit(1);
});
