'use strict';
// Container health probe for the one service image; APP says which service this container runs.
//   gateway                GET /healthz on its own port (liveness: the process serves HTTP)
//   auth, message, search  GET /readyz on the process's ops port (OPS_PORT): 200 while this very
//                          process completes a NATS round trip and its store (or index) answers
// Exit code 0 = healthy, 1 = not. No dependency beyond Node.
const APP = process.env.APP || 'gateway';
const TIMEOUT_MS = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 4000);
const SERVICES = ['auth', 'message', 'search'];

function done(ok, why) {
  if (!ok) process.stderr.write(`unhealthy (${APP}): ${why}\n`);
  process.exit(ok ? 0 : 1);
}

/** The address to dial for a listener bound to `host`: loopback for a wildcard. */
function dialHost(host) {
  const h = !host || ['0.0.0.0', '::'].includes(host) ? '127.0.0.1' : host;
  return h.includes(':') ? `[${h}]` : h;
}

async function get(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const body = await res.text();
  const path = new URL(url).pathname;
  if (res.status !== 200) done(false, `GET ${path} answered ${res.status} ${body.slice(0, 300)}`.trim());
}

async function main() {
  if (APP === 'gateway') return get(`http://${dialHost(process.env.HOST)}:${process.env.PORT || 3000}/healthz`);
  if (SERVICES.includes(APP)) {
    return get(`http://${dialHost(process.env.OPS_HOST)}:${process.env.OPS_PORT || 9464}/readyz`);
  }
  return done(false, `unknown APP "${APP}"`);
}

setTimeout(() => done(false, `no answer within ${TIMEOUT_MS} ms`), TIMEOUT_MS + 1000).unref();
main().then(
  () => done(true),
  // fetch says only "fetch failed"; its cause names what failed (ECONNREFUSED: nothing listens).
  (err) => done(false, err?.cause?.code ? `${err.message}: ${err.cause.code}` : (err?.message ?? String(err))),
);
