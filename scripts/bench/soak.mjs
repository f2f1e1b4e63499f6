#!/usr/bin/env node
// npm run bench:soak -- [--minutes 30] [--clients 200] [--rooms 10] [--rate 200] [--gateways 2]
//
// A long run of the load generator on a private stack: e2e p99 per minute, then the first and the
// last 5 minutes compared (target: last/first ≤ 1.5), each process's RSS (and the gateways' heap)
// at the start and the end, and the store's size and SQLite write-ahead log (largest seen). One
// JSON line on stdout; progress on stderr.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BenchStack, log, percentile, prepare, round } from './stack-runner.mjs';
import { disconnectAll, runLoad, setUp } from './load.mjs';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    clients: { type: 'string', default: '200' },
    rooms: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    gateways: { type: 'string', default: '2' },
    'mongo-url': { type: 'string', default: process.env.MONGO_URL },
  },
});
const MINUTES = Number(values.minutes);
const EDGE = Math.min(5, Math.max(1, Math.floor(MINUTES / 3))); // minutes compared at each end

function rssMb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return round(Number(line.split(/\s+/)[1]) / 1024, 1);
  } catch {
    return null;
  }
}

async function gatewayHeapMb(url) {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('nodejs_heap_size_used_bytes '));
    return line ? round(Number(line.split(' ')[1]) / 2 ** 20, 1) : null;
  } catch {
    return null;
  }
}

function storeFiles(dir) {
  if (!dir) return null;
  let db = 0;
  let wal = 0;
  for (const name of readdirSync(dir)) {
    const size = statSync(join(dir, name)).size;
    if (name.endsWith('-wal')) wal += size;
    else if (name.endsWith('.sqlite')) db += size;
  }
  return { db_mb: round(db / 2 ** 20, 1), wal_mb: round(wal / 2 ** 20, 1) };
}

async function snapshot(stack) {
  const pids = stack.pids();
  const rss = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMb(pid)]));
  const heap = {};
  for (const [i, url] of stack.gatewayUrls.entries()) heap[`gateway-${i}`] = await gatewayHeapMb(url);
  return { rss_mb: rss, gateway_heap_mb: heap, store: storeFiles(stack.dataDir) };
}

async function main() {
  prepare.build();
  const stack = new BenchStack({ gateways: Number(values.gateways), mongoUrl: values['mongo-url'] });
  await stack.startInfra();
  await stack.startServices();
  try {
    const { sockets } = await setUp({
      gatewayUrls: stack.gatewayUrls,
      clients: Number(values.clients),
      rooms: Number(values.rooms),
      log,
    });
    const start = await snapshot(stack);
    const minutes = [];
    let walMax = start.store?.wal_mb ?? 0;
    log(`soaking ${values.rate} msg/s for ${MINUTES} min…`);
    const result = await runLoad({
      sockets,
      rate: Number(values.rate),
      durationS: MINUTES * 60,
      windowS: 60,
      onWindow: ({ e2e, elapsedS }) => {
        const files = storeFiles(stack.dataDir);
        walMax = Math.max(walMax, files?.wal_mb ?? 0);
        const p99 = round(percentile(e2e, 99), 1);
        minutes.push(p99);
        log(
          `  minute ${Math.round(elapsedS / 60)}: e2e p99 ${p99} ms, ${e2e.length} deliveries, ${JSON.stringify(files)}`,
        );
      },
    });
    const end = await snapshot(stack);
    disconnectAll(sockets);
    const first = round(Math.max(...minutes.slice(0, EDGE)), 1);
    const last = round(Math.max(...minutes.slice(-EDGE)), 1);
    console.log(
      JSON.stringify({
        minutes: MINUTES,
        clients: Number(values.clients),
        rooms: Number(values.rooms),
        rate: Number(values.rate),
        gateways: stack.gatewayUrls.length,
        first_minutes_p99_ms: first,
        last_minutes_p99_ms: last,
        last_over_first: round(last / first, 2),
        compared_minutes: EDGE,
        p99_per_minute_ms: minutes,
        wal_max_mb: walMax,
        start,
        end,
        load: result,
      }),
    );
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(`[bench] ${err.stack || err.message}`);
  process.exit(1);
});
