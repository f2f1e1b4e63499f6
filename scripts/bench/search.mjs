#!/usr/bin/env node
// npm run bench:search -- [--messages 1000000] [--iterations 200] [--mongo-url mongodb://…/db]
//
// GET /api/search through the real stack (gateway HTTP, NATS, search service, its FTS5 index;
// the caller's rooms asked of the message service, so the store is in the path too) with the index
// seeded to --messages. The index is written directly in bulk, the way the service writes it (its
// own SearchIndex class), while the service is stopped; the caller's 50 private rooms are real
// rooms in the store. Then p50/p99 of each kind of query, and the freshness of a message just sent
// (send → first search that finds it). Progress on stderr; one JSON line, last, on stdout.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';
import { BenchStack, log, percentile, prepare, provision, round } from './stack-runner.mjs';

const require = createRequire(import.meta.url);
const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    iterations: { type: 'string', default: '200' },
    'mongo-url': { type: 'string', default: process.env.MONGO_URL },
  },
});
const MESSAGES = Number(values.messages);
const ITERATIONS = Number(values.iterations);
const ROOMS = 10_000;
const MY_ROOMS = 50;

/** Deterministic: the same index every run. */
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
// A Zipf-like vocabulary of 20,000 words: a few very common, most rare.
const VOCAB = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}`);
const zipf = () => VOCAB[Math.min(VOCAB.length - 1, Math.floor(Math.exp(rand() * Math.log(VOCAB.length + 1)) - 1))];

async function api(url, method, path, token, body) {
  const res = await fetch(url + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function main() {
  prepare.build();
  const stack = new BenchStack({ gateways: 1, mongoUrl: values['mongo-url'] });
  try {
    await stack.startInfra();
    await stack.startServices();
    const url = stack.gatewayUrls[0];
    const password = 'correct horse battery';
    await api(url, 'POST', '/api/auth/register', undefined, { username: 'searcher', password });
    const { token, user } = (await api(url, 'POST', '/api/auth/login', undefined, { username: 'searcher', password }))
      .body;
    const myRooms = [];
    for (let i = 0; i < MY_ROOMS; i++) {
      myRooms.push((await api(url, 'POST', '/api/rooms', token, { name: `mine-${i}`, kind: 'private' })).body.room.id);
    }

    log(`stopping the search service to seed its index with ${MESSAGES.toLocaleString()} messages`);
    await provision.stopProcess(stack.process('search'), 10_000);
    const { SearchIndex } = require(join(provision.ROOT, 'dist/apps/search/src/search-index.js'));
    const index = new SearchIndex(join(stack.dir, 'search', 'search-1.sqlite'));
    const started = Date.now();
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    const BATCH = 5000;
    for (let n = 0; n < MESSAGES; n += BATCH) {
      const items = [];
      for (let i = n; i < Math.min(MESSAGES, n + BATCH); i++) {
        const r = Math.floor(rand() * ROOMS);
        const mine = r < MY_ROOMS;
        const kind = mine ? 'private' : r % 2 === 0 ? 'public' : 'private';
        const roomId = mine ? myRooms[r] : `room-${r}`;
        const words = Array.from({ length: 4 + Math.floor(rand() * 12) }, zipf);
        // Planted words, by share of messages: common 10 %, phrase 1 %, rare 0.01 %; hidden: 5 %, all
        // in private rooms the searcher is not in (the costly case: many postings, none in scope).
        if (rand() < 0.1) words.push('common');
        if (rand() < 0.01) words.push('quarterly', 'report');
        if (rand() < 0.0001) words.push('rareword');
        if (kind === 'private' && !mine && rand() < 0.1) words.push('hidden');
        const author = `user${Math.floor(rand() * 1000)}`;
        items.push({
          roomKind: kind,
          message: {
            id: `${roomId}:${i}`,
            roomId,
            seq: i,
            author: { id: `id-${author}`, username: author },
            body: words.join(' '),
            attachments: [],
            clientMsgId: `c${i}`,
            createdAt: new Date(t0 + i * 1000).toISOString(),
          },
        });
      }
      index.put(items);
      if ((n / BATCH) % 40 === 0) log(`  ${(n + items.length).toLocaleString()} indexed`);
    }
    const seedSeconds = round((Date.now() - started) / 1000);
    index.close();
    const indexFile = join(stack.dir, 'search', 'search-1.sqlite');
    const indexMb = round(statSync(indexFile).size / 1e6);
    log(`seeded in ${seedSeconds} s; starting the search service again`);
    await stack.restart('search');
    await waitSearch(url, token);

    const queries = {
      common_word: { q: 'common' },
      rare_word: { q: 'rareword' },
      phrase: { q: '"quarterly report"' },
      two_words: { q: 'common w1' },
      in_my_room: { q: 'common', roomId: myRooms[7] },
      from_author: { q: 'common from:user7' },
      hidden_only: { q: 'hidden' },
      no_match: { q: 'zzzznothing' },
    };
    const results = {};
    for (const [name, params] of Object.entries(queries)) {
      const times = [];
      let hits = 0;
      for (let i = 0; i < ITERATIONS; i++) {
        const t = performance.now();
        const res = await api(url, 'GET', `/api/search?${new URLSearchParams(params).toString()}`, token);
        times.push(performance.now() - t);
        if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
        hits = res.body.results.length;
      }
      results[name] = {
        p50_ms: round(percentile(times, 50), 2),
        p99_ms: round(percentile(times, 99), 2),
        results: hits,
      };
      log(`  ${name}: p50 ${results[name].p50_ms} ms, p99 ${results[name].p99_ms} ms (${hits} results)`);
    }

    // Freshness: a message sent now, found by search how soon.
    const socket = io(url, { auth: { token }, transports: ['websocket'] });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
    const fresh = [];
    for (let i = 0; i < 20; i++) {
      const word = `fresh${Date.now().toString(36)}${i}`;
      const t = performance.now();
      const ack = await socket
        .timeout(5000)
        .emitWithAck('message:send', { roomId: myRooms[0], clientMsgId: `f${i}${Date.now()}`, body: word });
      if (!ack.ok) throw new Error(`send: ${JSON.stringify(ack)}`);
      for (;;) {
        const res = await api(url, 'GET', `/api/search?q=${word}`, token);
        if (res.body.results.length > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      fresh.push(performance.now() - t);
    }
    socket.close();
    const out = {
      store: values['mongo-url'] ? 'mongod (MONGO_URL)' : 'FerretDB (embedded)',
      messages: MESSAGES,
      seed_seconds: seedSeconds,
      index_mb: indexMb,
      iterations: ITERATIONS,
      queries: results,
      worst_p99_ms: Math.max(...Object.values(results).map((r) => r.p99_ms)),
      fresh_p50_ms: round(percentile(fresh, 50)),
      fresh_max_ms: round(Math.max(...fresh)),
      searcher: user.username,
    };
    console.log(JSON.stringify(out));
  } finally {
    await stack.stop();
  }
}

async function waitSearch(url, token) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    // A pooled connection the gateway closed while we were seeding fails once: try again.
    const res = await api(url, 'GET', '/api/search?q=common', token).catch((err) => ({ status: String(err) }));
    if (res.status === 200) return;
    if (Date.now() > deadline) throw new Error(`search did not answer: ${res.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
