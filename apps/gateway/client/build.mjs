#!/usr/bin/env node
// Builds the web client: type-checks apps/gateway/client (its own tsconfig, DOM lib), bundles
// src/main.ts with esbuild into dist/client/app.js and copies the static files beside it.
// `--no-typecheck` skips tsc (quick rebuilds while iterating on styles).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const out = join(root, 'dist', 'client');

if (!process.argv.includes('--no-typecheck')) {
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', here], { cwd: root, stdio: 'inherit' });
}

mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  outfile: join(out, 'app.js'),
  tsconfig: join(here, 'tsconfig.json'),
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const file of ['index.html', 'styles.css']) copyFileSync(join(here, file), join(out, file));
