#!/usr/bin/env node
// `npm test`: provisions what the suites need (dependencies, nats-server, FerretDB, chromium,
// docker-compose for the static checks of the compose files, Debian's prometheus for the
// observability profile's config and dashboard),
// type-checks, lints, checks formatting, builds, then runs every Jest project against the real servers.
// Extra arguments go to Jest and skip the static checks: `npm test -- --selectProjects unit`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const provision = require('./lib/provision.cjs');
const prepare = require('./lib/prepare.cjs');
const root = provision.ROOT;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const started = Date.now();

function step(name, cmd, args) {
  console.error(`\n[test] ${name}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`[test] ${name} failed`);
    process.exit(r.status ?? 1);
  }
}

const jestArgs = process.argv.slice(2);

prepare.ensureDependencies();
provision.ensureNatsServer();
provision.ensureFerretdb();
provision.ensureChromium();
provision.ensureDockerCompose();
provision.ensurePrometheus();
if (jestArgs.length === 0) {
  step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
  step('lint', bin('eslint'), ['--max-warnings', '0', '.']);
  step('format', bin('prettier'), ['--check', '--log-level', 'warn', '.']);
}
prepare.build();

const report = join(mkdtempSync(join(tmpdir(), 'chat-jest-')), 'report.json');
console.error('\n[test] jest');
const r = spawnSync(bin('jest'), ['--runInBand', '--json', `--outputFile=${report}`, ...jestArgs], {
  cwd: root,
  stdio: 'inherit',
});
let summary = '';
try {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  summary = `${j.numPassedTests} passed, ${j.numFailedTests} failed, ${j.numPendingTests} skipped`;
} catch {
  summary = '0 passed, 1 failed';
}
console.log(`\n[test] finished in ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`tests: ${summary}`);
process.exit(r.status ?? 1);
