// What the compose scenarios share (deploy/test/compose-scenario.mjs, compose-browser.mjs): shell
// and compose calls bounded in time, polling, and the view of the running containers.
// Environment (set by compose-test.sh): PROXY_PORT, COMPOSE_ENV_FILE, COMPOSE_PROJECT_NAME.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const BASE = `http://127.0.0.1:${process.env.PROXY_PORT}`;
export const PROJECT = process.env.COMPOSE_PROJECT_NAME;
const COMPOSE = [
  '--env-file',
  process.env.COMPOSE_ENV_FILE,
  '-f',
  'docker-compose.yml',
  '-f',
  'docker-compose.test.yml',
];

export function logger(name) {
  const started = Date.now();
  return (msg) =>
    process.stderr.write(`[${name} ${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s] ${msg}\n`);
}

export function check(cond, msg) {
  if (!cond) throw new Error(`check failed: ${msg}`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function sh(cmd, args, timeoutMs = 120_000) {
  const { stdout } = await run(cmd, args, { timeout: timeoutMs, maxBuffer: 16 << 20 });
  return stdout;
}

export const compose = (args, timeoutMs) => sh('docker-compose', [...COMPOSE, ...args], timeoutMs);

export async function waitFor(what, fn, timeoutMs = 60_000, everyMs = 500) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await sleep(everyMs);
  }
}

export async function api(method, path, { token, body, headers = {} } = {}) {
  const res = await fetch(BASE + path, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, body: json, text, headers: res.headers };
}

/** Running containers of one compose service, by name. */
export async function containersOf(service) {
  const out = await sh('podman', [
    'ps',
    '--filter',
    `label=com.docker.compose.project=${PROJECT}`,
    '--filter',
    `label=com.docker.compose.service=${service}`,
    '--format',
    '{{.Names}}',
  ]);
  return out.split('\n').filter(Boolean).sort();
}

/** Sockets each running gateway holds, from its own /metrics (chat_sockets_connected). */
export async function socketsPerGateway() {
  const counts = {};
  for (const name of await containersOf('gateway')) {
    const text = await sh('podman', [
      'exec',
      name,
      'node',
      '-e',
      "fetch('http://127.0.0.1:3000/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))",
    ]);
    const line = text.split('\n').find((l) => l.startsWith('chat_sockets_connected'));
    counts[name] = line ? Number(line.trim().split(/\s+/).pop()) : NaN;
  }
  return counts;
}

/** Runs main, exits 0 on success, 1 with the stack on failure. */
export function runMain(main, log) {
  main().then(
    () => process.exit(0),
    (err) => {
      log(err.stack || String(err));
      process.exit(1);
    },
  );
}
