#!/usr/bin/env node
// `npm run test:fuzz -- --cases 36000 --seed 7`: the hostile-input suite (test/stack/fuzz.e2e-spec.ts)
// at a chosen size and seed, against a real stack of two gateways. `npm test` runs it CI-sized
// (2,000 cases, a fixed seed); a failure prints the seed and the index of each failing case, so the
// same command replays it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const provision = require('./lib/provision.cjs');
const prepare = require('./lib/prepare.cjs');

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '36000' }, seed: { type: 'string', default: String(Date.now() % 1e9) } },
});
for (const [name, v] of Object.entries(values)) {
  if (!/^\d+$/.test(v)) {
    console.error(`--${name} takes a whole number, got "${v}"`);
    process.exit(2);
  }
}

prepare.ensureDependencies();
provision.ensureNatsServer();
provision.ensureFerretdb();
prepare.build();
console.error(`[fuzz] ${values.cases} cases, seed ${values.seed}`);
const r = spawnSync(
  join(provision.ROOT, 'node_modules', '.bin', 'jest'),
  ['--runInBand', '--selectProjects', 'stack', 'test/stack/fuzz.e2e-spec.ts'],
  {
    cwd: provision.ROOT,
    stdio: 'inherit',
    env: { ...process.env, FUZZ_CASES: values.cases, FUZZ_SEED: values.seed },
  },
);
process.exit(r.status ?? 1);
