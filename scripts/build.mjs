#!/usr/bin/env node
// Builds the services (swc: apps/ and libs/ → dist/, path aliases rewritten) and the web client
// (esbuild: apps/gateway/client → dist/client). Type checking is `npm run typecheck`.
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

// Overwrites in place: a build must not pull dist/ from under processes started from it.
// `--clean` starts from an empty dist/.
if (process.argv.includes('--clean')) rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(
  bin('swc'),
  [
    'apps',
    'libs',
    '-d',
    'dist',
    '--copy-files',
    '--ignore',
    '**/*.spec.ts,**/test/**,apps/gateway/client/**',
    '--quiet',
  ],
  { cwd: root, stdio: 'inherit' },
);

const clientBuild = join(root, 'apps', 'gateway', 'client', 'build.mjs');
if (existsSync(clientBuild)) {
  execFileSync(process.execPath, [clientBuild], { cwd: root, stdio: 'inherit' });
}
