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

/**
 * How Debian's chromium is launched headless, by the browser suite and the compose test alike. The
 * background-networking flags matter: without them Chromium keeps calling out to hosts this machine
 * cannot (and must not) reach.
 */
const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's chromium for the browser suite (never a downloaded browser build). */
function ensureChromium() {
  return ensureProgram(CHROMIUM_PATH, ['chromium', 'fonts-liberation']);
}

/** docker-compose, for the static checks of the compose files (`docker-compose config`). */
function ensureDockerCompose() {
  return ensureProgram('docker-compose', ['docker-compose']);
}

/**
 * Debian's prometheus package (2.42 on bookworm): `promtool` checks the observability profile's
 * Prometheus config, and the dashboard suite runs the server itself against a real stack.
 */
function ensurePrometheus() {
  ensureProgram('promtool', ['prometheus']);
  return ensureProgram('prometheus', ['prometheus']);
}

/**
 * FerretDB v1.24 is built from its source in the Go module cache, copied and changed in six ways
 * (each change an exact text replacement, checked to apply as often as expected; an upgrade that moves a line stops
 * the build and says so), through a throw-away modfile with a `replace`; the committed go.mod stays plain.
 *
 * 1. Its SQLite backend looks documents up by `_id` with the path `->'$._id'`, while its `_id` index
 *    is built on `->"_id"`: SQLite cannot match the two, so every `_id` lookup, update and delete
 *    scanned the whole table (12–22 ms per lookup at 6,000 documents instead of ~1 ms). The constant
 *    is rewritten to the index's expression (same meaning: both name the top-level `_id` field).
 * 2. It pushes `_id` equality down to SQLite only when the filter holds nothing else, so
 *    `{_id, deleted: {$ne: true}}` and `{_id: {$in: […]}}` scanned the collection.
 *    tools/ferretdb/patch/id_pushdown.go pushes `_id` equality down whatever else the filter holds,
 *    and `_id: {$in}` as `IN (…)` (the backend contract allows a partial filter: the handler filters
 *    every document again).
 * 3. Its update, findAndModify and delete are read-modify-write without a lock, so concurrent `$inc`,
 *    `$addToSet`, `$pull` or `$max` on one document lose writes, and two findOneAndDelete both return
 *    it. tools/ferretdb/patch/update_lock.go (added to the handler package) holds a lock per document
 *    (per collection when the filter names no single `_id`) around each of them, so single-document
 *    updates are atomic as on MongoDB.
 * 4. Its leak tracking of every iterator (a stack trace and a finalizer each) is switched off
 *    (tools/ferretdb/patch/resource_tracking.go): 18 % of its CPU on a read of 100 documents.
 * 5. Its writes (transactions and single statements) wait for each other on a mutex per database
 *    (tools/ferretdb/patch/tx_lock.go) instead of sleeping in SQLite's busy handler: ten concurrent
 *    writers of 5-document batches, p99 49–61 ms → 18 ms, max 250–550 ms → 40–46 ms.
 * 6. Its SQL debug lines are built only when debug logging is on: each statement formatted its
 *    arguments (whole documents) into a logger (`slog.Logger.With`) before the level check
 *    dropped the line: 9 % of its CPU at 1,000 messages/s (perf). Its CPU per batch of 20 send keys and
 *    20 messages 1.60–1.98 → 1.46–1.56 ms (`npm run bench:store`, send_batch_20, four alternating runs).
 */
const FERRET_PATCHES = [
  {
    file: path.join('internal', 'backends', 'sqlite', 'metadata', 'metadata.go'),
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: 'IDColumn = DefaultColumn + "->\\"_id\\""',
  },
  {
    file: path.join('internal', 'backends', 'sqlite', 'collection.go'),
    from:
      '\tif params.Filter.Len() == 1 {\n\t\tv, _ := params.Filter.Get("_id")\n\t\tswitch v.(type) {\n' +
      '\t\tcase string, types.ObjectID:\n\t\t\twhereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)\n' +
      '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}\n\t\t}\n\t}\n',
    to: '\tif w, a, ok := idWhere(params.Filter); ok {\n\t\twhereClause, args = w, a\n\t}\n',
  },
  {
    file: path.join('internal', 'backends', 'sqlite', 'collection.go'),
    from:
      '\tif params.Filter.Len() == 1 {\n\t\tv, _ := params.Filter.Get("_id")\n\t\tswitch v.(type) {\n' +
      '\t\tcase string, types.ObjectID:\n\t\t\tfilterPushdown = true\n' +
      '\t\t\twhereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)\n' +
      '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}\n\t\t}\n\t}\n',
    to: '\tif w, a, ok := idWhere(params.Filter); ok {\n\t\tfilterPushdown = true\n\t\twhereClause, args = w, a\n\t}\n',
  },
  {
    file: path.join('internal', 'handler', 'msg_update.go'),
    from: '\tmatched, modified, upserted, err := h.updateDocument(connCtx, params)\n',
    to:
      '\tunlock := lockForUpdate(params.DB, params.Collection, updateFilters(params.Updates))\n' +
      '\tmatched, modified, upserted, err := h.updateDocument(connCtx, params)\n' +
      '\tunlock()\n',
  },
  {
    file: path.join('internal', 'handler', 'msg_findandmodify.go'),
    from: '\tres, err := h.findAndModifyDocument(connCtx, params)\n',
    to:
      '\tunlock := lockForUpdate(params.DB, params.Collection, []*types.Document{params.Query})\n' +
      '\tres, err := h.findAndModifyDocument(connCtx, params)\n' +
      '\tunlock()\n',
  },
  {
    file: path.join('internal', 'handler', 'msg_delete.go'),
    from: '\t\td, err = h.execDelete(connCtx, c, &p)\n',
    to:
      '\t\tunlock := lockForUpdate(params.DB, params.Collection, []*types.Document{p.Filter})\n' +
      '\t\td, err = h.execDelete(connCtx, c, &p)\n' +
      '\t\tunlock()\n',
  },
];
FERRET_PATCHES.push(
  ...['Track', 'Untrack'].map((fn) => ({
    file: path.join('internal', 'util', 'resource', 'resource.go'),
    from: `func ${fn}(obj any, token *Token) {\n\tcheckArgs(obj, token)\n`,
    to: `func ${fn}(obj any, token *Token) {\n\tcheckArgs(obj, token)\n\n\tif !trackResources {\n\t\treturn\n\t}\n`,
  })),
);
FERRET_PATCHES.push(
  ...[
    'func (db *DB) InTransaction(ctx context.Context, f func(*Tx) error) (err error) {\n',
    'func (db *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {\n',
  ].map((signature) => ({
    file: path.join('internal', 'util', 'fsql', 'db.go'),
    from: signature,
    to: `${signature}\tlock := db.writeLock()\n\tlock.Lock()\n\tdefer lock.Unlock()\n\n`,
  })),
);
FERRET_PATCHES.push(
  ...['tx', 'db'].flatMap((receiver) =>
    ['>>>', '<<<'].map((arrow) => {
      const line = `\t${receiver}.l.With(fields...).DebugContext(ctx, fmt.Sprintf("${arrow} %s", query))\n`;
      return {
        file: path.join('internal', 'util', 'fsql', `${receiver}.go`),
        from: line,
        to: `\tif ${receiver}.l.Enabled(ctx, slog.LevelDebug) {\n\t${line}\t}\n`,
        count: 3,
      };
    }),
  ),
);
const FERRET_ADDED = [
  { from: path.join('patch', 'id_pushdown.go'), to: path.join('internal', 'backends', 'sqlite', 'id_pushdown.go') },
  { from: path.join('patch', 'update_lock.go'), to: path.join('internal', 'handler', 'update_lock.go') },
  {
    from: path.join('patch', 'resource_tracking.go'),
    to: path.join('internal', 'util', 'resource', 'resource_tracking.go'),
  },
  { from: path.join('patch', 'tx_lock.go'), to: path.join('internal', 'util', 'fsql', 'tx_lock.go') },
];

function ferretStamp() {
  const hash = require('node:crypto').createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go', ...FERRET_ADDED.map((a) => a.from)]) {
    hash.update(fs.readFileSync(path.join(FERRET_SRC, f)));
  }
  hash.update(JSON.stringify(FERRET_PATCHES));
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
  for (const patch of FERRET_PATCHES) {
    const target = path.join(src, patch.file);
    const original = fs.readFileSync(target, 'utf8');
    const count = patch.count ?? 1;
    if (original.split(patch.from).length !== count + 1) {
      throw new Error(`FerretDB source changed: ${patch.file} no longer holds \`${patch.from.trim()}\` ${count}×`);
    }
    fs.writeFileSync(target, original.split(patch.from).join(patch.to));
  }
  for (const added of FERRET_ADDED) fs.copyFileSync(path.join(FERRET_SRC, added.from), path.join(src, added.to));
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

/**
 * SQLite settings of FerretDB's files, as `_pragma` parameters of its URL:
 * - `synchronous(normal)`: in WAL mode a commit is written to the log (the OS has it: no process
 *   kill can lose it) and synced at checkpoints, not on every commit; only a power loss can take the
 *   last commits, as with mongod's default journal interval. Writes ~5× faster than `full` here.
 * - `journal_size_limit`: after a checkpoint the log is truncated to this size, so a burst that
 *   grew it does not keep the file large.
 */
const FERRET_SQLITE_PRAGMAS = ['synchronous(normal)', `journal_size_limit(${32 * 1024 * 1024})`];

/** Starts FerretDB (SQLite files under dataDir) on loopback; resolves once it accepts connections. */
async function startFerretdb({ port, dataDir, logFile }) {
  const bin = ensureFerretdb();
  fs.mkdirSync(dataDir, { recursive: true });
  const dir = dataDir.endsWith('/') ? dataDir : `${dataDir}/`;
  const pragmas = FERRET_SQLITE_PRAGMAS.map((p) => `_pragma=${p}`).join('&');
  const child = spawnLogged(
    bin,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}?${pragmas}`,
      '--telemetry=disable',
      `--listen-addr=127.0.0.1:${port}`,
    ],
    logFile,
    // Fewer garbage collections: measured ~25 % less CPU per lookup than the default 100.
    { ...process.env, GOGC: process.env.GOGC || '400' },
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
  CHROMIUM_PATH,
  CHROMIUM_ARGS,
  ensureNatsServer,
  ensureFerretdb,
  ensureChromium,
  ensureDockerCompose,
  ensurePrometheus,
  startNats,
  startFerretdb,
  waitForPort,
  portInUse,
  freePort,
  spawnLogged,
  stopProcess,
};
