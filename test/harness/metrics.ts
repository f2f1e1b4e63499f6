import { api, collect, connectSocket, emitAck, newClientMsgId, registerAndLogin, waitFor } from './client';
import { createRoom, join, send } from './contract';

/** One sample of Prometheus's text format: `name{label="value",…} number`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses an exposition (comments skipped); a line it cannot read fails the caller's test. */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (m[2] ?? '').matchAll(LABEL)) labels[key] = value.replace(/\\(.)/g, '$1');
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The samples of `name` whose labels include `labels`. */
export function samplesOf(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The sum of the samples of `name` matching `labels` (0 when there is none). */
export function sumOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samplesOf(samples, name, labels).reduce((total, s) => total + s.value, 0);
}

/** GET `<baseUrl>/metrics`, parsed; fails unless it answers 200 in Prometheus's text format. */
export async function scrape(baseUrl: string): Promise<Sample[]> {
  const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${baseUrl}/metrics answered ${res.status}: ${text.slice(0, 200)}`);
  if (!(res.headers.get('content-type') ?? '').startsWith('text/plain')) {
    throw new Error(`${baseUrl}/metrics is ${res.headers.get('content-type')}, not text/plain`);
  }
  return parseMetrics(text);
}

/** A stack's environment for `meteredTraffic`: 2 sends a minute, and the gateway exempts nobody. */
export const METERED_ENV = { message: { RATE_LIMIT_SEND: '2/60' }, gateway: { RATE_LIMIT_EXEMPT: '' } };

/**
 * Traffic every metric has something to count: two users of one room (`<prefix>_a` owns it,
 * `<prefix>_b` joined), both sockets in it, two sends heard by the other and a third refused
 * (RATE_LIMITED, with METERED_ENV).
 */
export async function meteredTraffic(gw: string, prefix: string) {
  const alice = await registerAndLogin(gw, `${prefix}_a`);
  const bob = await registerAndLogin(gw, `${prefix}_b`);
  const room = await createRoom(gw, alice.token, prefix);
  expect((await api(gw).post(`/api/rooms/${room.id}/join`, undefined, { token: bob.token })).status).toBe(200);
  const [sa, sb] = [await connectSocket(gw, alice.token), await connectSocket(gw, bob.token)];
  await join(sa, room.id);
  await join(sb, room.id);
  const heard = collect(sb, 'message:new');
  await send(sa, room.id, 'one');
  await send(sa, room.id, 'two');
  const refused = await emitAck(sa, 'message:send', { roomId: room.id, clientMsgId: newClientMsgId(), body: 'three' });
  expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  await waitFor(() => heard.items.length >= 2);
  return { alice, bob, room, sa, sb, heard };
}
