#!/usr/bin/env node
// npm run bench -- [--gateways 2] [--clients 200] [--rooms 10] [--rate 1000] [--duration 20] [--warmup 5]
//                  [--url http://a:3000,http://b:3001] [--profile DIR]
//
// Message throughput through the whole stack. Without --url it starts a private stack (NATS,
// FerretDB or MONGO_URL, auth, message, --gateways gateways); with --url it loads running gateways.
// Clients are spread round-robin over the gateways within every room. One JSON line on stdout:
// sent, acked, delivered, missing, duplicates, out of order, ack and e2e p50/p99/max, delivered/s,
// and the generator's own CPU and event-loop delay (a saturated generator measures itself).
import { parseArgs } from 'node:util';
import { BenchStack, cpuPercent, cpuSeconds, log, prepare } from './stack-runner.mjs';
import { disconnectAll, runLoad, setUp } from './load.mjs';

const { values } = parseArgs({
  options: {
    gateways: { type: 'string', default: '2' },
    clients: { type: 'string', default: '200' },
    rooms: { type: 'string', default: '10' },
    rate: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    url: { type: 'string' },
    'mongo-url': { type: 'string', default: process.env.MONGO_URL },
    /** Writes each service's CPU profile (node --cpu-prof) into this directory when the run ends. */
    profile: { type: 'string' },
  },
});
const num = (name) => {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
};

async function main() {
  let stack;
  let gatewayUrls;
  if (values.url) {
    gatewayUrls = values.url.split(',').map((u) => u.trim().replace(/\/+$/, ''));
  } else {
    prepare.build();
    const nodeArgs = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
    stack = new BenchStack({ gateways: num('gateways'), mongoUrl: values['mongo-url'], nodeArgs });
    await stack.startInfra();
    await stack.startServices();
    gatewayUrls = stack.gatewayUrls;
  }
  try {
    const shape = { gateways: gatewayUrls.length, clients: num('clients'), rooms: num('rooms'), rate: num('rate') };
    log(`setting up ${JSON.stringify(shape)}…`);
    const { sockets } = await setUp({ gatewayUrls, clients: shape.clients, rooms: shape.rooms, log });
    log(`sending ${shape.rate} msg/s for ${values.warmup} s warm-up + ${values.duration} s…`);
    const before = stack && cpuSeconds(stack.pids());
    const started = performance.now();
    const result = await runLoad({
      sockets,
      rate: shape.rate,
      durationS: num('duration'),
      warmupS: Number(values.warmup),
    });
    // Each process's CPU over the run (warm-up and drain included), in % of one core.
    const cpu = stack && cpuPercent(before, cpuSeconds(stack.pids()), (performance.now() - started) / 1000);
    disconnectAll(sockets);
    console.log(
      JSON.stringify({ ...shape, duration_s: num('duration'), ...result, ...(cpu ? { process_cpu_pct: cpu } : {}) }),
    );
  } finally {
    await stack?.stop();
  }
}

main().catch((err) => {
  console.error(`[bench] ${err.stack || err.message}`);
  process.exit(1);
});
