'use strict';
// Finds or provisions the real servers the stack and the tests run on: nats-server and FerretDB.
// CommonJS so that both the .mjs scripts and the Jest harness can load it.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE_BIN = path.join(ROOT, '.cache', 'bin');
const FERRET_SRC = path.join(ROOT, 'tools', 'ferretdb');

function which(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

function log(msg) {
  process.stderr.write(`[provision] ${msg}\n`);
}

/**
 * A program from PATH (or an absolute path); when missing and we are root, installed from
 * Debian's packages. Otherwise an error that says exactly what to install.
 */
function ensureProgram(program, packages, hint) {
  const find = () => (path.isAbsolute(program) ? (fs.existsSync(program) ? program : null) : which(program));
  let bin = find();
  if (bin) return bin;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && which('apt-get')) {
    log(`${program} is missing: installing the Debian package(s) ${packages.join(' ')}`);
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', ...packages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    bin = find();
    if (bin) return bin;
  }
  throw new Error(
    `${program} not found. Install it (Debian: \`apt-get install ${packages.join(' ')}\`)${hint ? `, ${hint}` : ''}.`,
  );
}

/** nats-server, from Debian's package when missing. */
function ensureNatsServer() {
  return ensureProgram('nats-server', ['nats-server'], 'or point NATS_URL at a running server');
}

/** Debian's chromium for the browser suite (never a downloaded browser build). */
function ensureChromium() {
  return ensureProgram('/usr/bin/chromium', ['chromium', 'fonts-liberation']);
}

/** docker-compose, for the static checks of the compose files (`docker-compose config`). */
function ensureDockerCompose() {
  return ensureProgram('docker-compose', ['docker-compose']);
}

/**
 * FerretDB v1.24's SQLite backend looks documents up by `_id` with the path `->'$._id'`, while its
 * `_id` index is built on `->"_id"`: SQLite cannot match the two, so every `_id` lookup, update and
 * delete scans the whole table (measured: 12–22 ms per lookup at 6,000 documents instead of ~1 ms).
 * The build takes FerretDB's source from the Go module cache, rewrites that one constant so the
 * lookup matches the index (same meaning: both name the top-level `_id` field), and builds against
 * the copy through a throw-away modfile with a `replace`; the committed go.mod stays plain.
 */
const FERRET_PATCH = {
  file: path.join('internal', 'backends', 'sqlite', 'metadata', 'metadata.go'),
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: 'IDColumn = DefaultColumn + "->\\"_id\\""',
};

function ferretStamp() {
  const hash = require('node:crypto').createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go']) hash.update(fs.readFileSync(path.join(FERRET_SRC, f)));
  hash.update(JSON.stringify(FERRET_PATCH));
  return hash.digest('hex');
}

/** FerretDB v1 (SQLite backend), built once from the Go module proxy into .cache/bin and reused. */
function ensureFerretdb() {
  const bin = path.join(CACHE_BIN, 'ferretdb');
  const stampFile = `${bin}.stamp`;
  const stamp = ferretStamp();
  if (fs.existsSync(bin) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return bin;
  if (!which('go')) {
    throw new Error(
      'FerretDB must be built with Go (>= 1.22), and `go` is not on PATH; or set MONGO_URL to a running MongoDB.',
    );
  }
  log('building FerretDB v1 from the Go module proxy (once; cached in .cache/bin)');
  const work = path.join(ROOT, '.cache', 'ferretdb-build');
  const src = path.join(work, 'src');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const go = (args) =>
    execFileSync('go', args, { cwd: FERRET_SRC, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  go(['mod', 'download', 'github.com/FerretDB/FerretDB']);
  const moduleDir = go(['list', '-m', '-f', '{{.Dir}}', 'github.com/FerretDB/FerretDB']).trim();
  fs.cpSync(moduleDir, src, { recursive: true });
  execFileSync('chmod', ['-R', 'u+w', src]);
  const target = path.join(src, FERRET_PATCH.file);
  const original = fs.readFileSync(target, 'utf8');
  if (original.split(FERRET_PATCH.from).length !== 2) {
    throw new Error(`FerretDB source changed: ${FERRET_PATCH.file} no longer holds \`${FERRET_PATCH.from}\` once`);
  }
  fs.writeFileSync(target, original.replace(FERRET_PATCH.from, FERRET_PATCH.to));
  const modfile = path.join(work, 'go.mod');
  fs.writeFileSync(
    modfile,
    `${fs.readFileSync(path.join(FERRET_SRC, 'go.mod'), 'utf8')}\nreplace github.com/FerretDB/FerretDB => ${src}\n`,
  );
  fs.copyFileSync(path.join(FERRET_SRC, 'go.sum'), path.join(work, 'go.sum'));
  fs.mkdirSync(CACHE_BIN, { recursive: true });
  execFileSync('go', ['build', `-modfile=${modfile}`, '-o', bin, '.'], { cwd: FERRET_SRC, stdio: 'inherit' });
  fs.writeFileSync(stampFile, stamp);
  return bin;
}

function waitForPort(port, host = '127.0.0.1', timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = net.connect(port, host);
      sock.once('connect', () => {
        sock.destroy();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function portInUse(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const sock = net.connect(port, host);
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** A free TCP port on loopback, as the kernel hands it out. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Starts nats-server on loopback; resolves once it accepts connections. */
async function startNats({ port, monitorPort, logFile, jetstreamDir } = {}) {
  const bin = ensureNatsServer();
  const args = ['-a', '127.0.0.1', '-p', String(port)];
  if (monitorPort) args.push('-m', String(monitorPort));
  if (jetstreamDir) args.push('-js', '-sd', jetstreamDir);
  const child = spawnLogged(bin, args, logFile);
  await waitForPort(port);
  return child;
}

/** Starts FerretDB (SQLite files under dataDir) on loopback; resolves once it accepts connections. */
async function startFerretdb({ port, dataDir, logFile }) {
  const bin = ensureFerretdb();
  fs.mkdirSync(dataDir, { recursive: true });
  const child = spawnLogged(
    bin,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir.endsWith('/') ? dataDir : dataDir + '/'}`,
      '--telemetry=disable',
      `--listen-addr=127.0.0.1:${port}`,
    ],
    logFile,
  );
  await waitForPort(port);
  return child;
}

function spawnLogged(bin, args, logFile, env) {
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  const child = spawn(bin, args, { stdio: ['ignore', out, out], env: env || process.env });
  if (logFile) fs.closeSync(out);
  return child;
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
function stopProcess(child, graceMs = 5000) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

module.exports = {
  ROOT,
  ensureNatsServer,
  ensureFerretdb,
  ensureChromium,
  ensureDockerCompose,
  startNats,
  startFerretdb,
  waitForPort,
  portInUse,
  freePort,
  spawnLogged,
  stopProcess,
};
