'use strict';
// Container health probe for the one service image; APP says which service this container runs.
//   gateway        GET /healthz on its own port (liveness: the process serves HTTP)
//   auth, message  a request on the service's health subject over NATS, in the packet format of
//                  Nest's NATS transport; the service answers only when its database answers.
// Exit code 0 = healthy, 1 = not. No dependency beyond Node and the `nats` package of the image.
const { randomUUID } = require('node:crypto');

const APP = process.env.APP || 'gateway';
const TIMEOUT_MS = Number(process.env.HEALTHCHECK_TIMEOUT_MS || 4000);
const SUBJECTS = { auth: 'auth.health.v1', message: 'chat.health.v1', search: 'chat.search.health.v1' };

function done(ok, why) {
  if (!ok) process.stderr.write(`unhealthy (${APP}): ${why}\n`);
  process.exit(ok ? 0 : 1);
}

async function probeGateway() {
  const host = !process.env.HOST || ['0.0.0.0', '::'].includes(process.env.HOST) ? '127.0.0.1' : process.env.HOST;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${process.env.PORT || 3000}/healthz`;
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (res.status !== 200) done(false, `GET /healthz answered ${res.status}`);
}

async function probeService(subject) {
  const { connect, JSONCodec } = require('nats');
  const codec = JSONCodec();
  const servers = (process.env.NATS_URL || 'nats://127.0.0.1:4222').split(',').map((s) => s.trim());
  const nc = await connect({ servers, name: `healthcheck-${APP}`, timeout: TIMEOUT_MS, reconnect: false });
  try {
    let msg;
    try {
      msg = await nc.request(subject, codec.encode({ pattern: subject, data: {}, id: randomUUID() }), {
        timeout: TIMEOUT_MS,
      });
    } catch (err) {
      if (err && err.code === '503') return done(false, `no ${APP} service answers on ${subject}`);
      if (err && err.code === 'TIMEOUT') return done(false, `${subject} did not answer within ${TIMEOUT_MS} ms`);
      throw err;
    }
    const packet = codec.decode(msg.data);
    if (packet.err) done(false, `${subject} answered an error: ${JSON.stringify(packet.err)}`);
    if (!packet.response || packet.response.status !== 'ok')
      done(false, `${subject} answered ${JSON.stringify(packet)}`);
  } finally {
    await nc.close();
  }
}

async function main() {
  if (APP === 'gateway') return probeGateway();
  if (SUBJECTS[APP]) return probeService(SUBJECTS[APP]);
  return done(false, `unknown APP "${APP}"`);
}

setTimeout(() => done(false, `no answer within ${TIMEOUT_MS} ms`), TIMEOUT_MS + 1000).unref();
main().then(
  () => done(true),
  (err) => done(false, err && err.message ? err.message : String(err)),
);
