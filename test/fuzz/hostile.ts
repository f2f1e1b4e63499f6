/**
 * Seeded hostile inputs for every HTTP route and socket event of the contract (docs/protocol.md).
 * Pure: the same seed gives the same cases, so a failure names its seed and index and replays.
 * Cases mix well-formed requests with one field broken, shapes the contract never names
 * (prototype keys, operators, deep nesting, huge strings, lone surrogates), hostile ids in paths,
 * odd headers (encodings, content types, credentials) and raw bytes.
 */

/** mulberry32: small, fast, good enough to pick cases. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Known {
  /** A room the fuzzing user is in, one it is not in, a message of its own, a user's name. */
  roomId: string;
  otherRoomId: string;
  messageId: string;
  username: string;
  token: string;
}

export interface HttpCase {
  kind: 'http';
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface SocketCase {
  kind: 'socket';
  event: string;
  /** Arguments of the emit, before the ack callback. */
  args: unknown[];
}

export type Case = HttpCase | SocketCase;

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const chance = (r: Rand, p: number): boolean => r() < p;

const STRINGS = [
  '',
  ' ',
  'a',
  'x'.repeat(5000),
  'é'.repeat(300),
  '\u0000',
  '\ud800',
  '\udfff\ud800',
  '😀'.repeat(50),
  '\u202e\u200b\ufeff',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '%',
  'null',
  'undefined',
  'true',
  '1e309',
  '-0',
  ' 1',
  '0x10',
  '$where',
  '{"$gt":""}',
  'a'.repeat(64),
  '000000000000000000000000',
  'general',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  "'; DROP TABLE users; --",
  '\r\nSet-Cookie: x=1',
] as const;

const NUMBERS = [
  0,
  -1,
  1,
  1.5,
  2 ** 31,
  2 ** 53 + 1,
  -(2 ** 63),
  1e308,
  Number.MAX_SAFE_INTEGER,
  200,
  201,
  101,
] as const;

function deep(depth: number, leaf: unknown, asArray: boolean): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

/** A JSON value the contract never names, at most `budget` levels deep. */
function hostileValue(r: Rand, k: Known, budget = 3): unknown {
  const roll = r();
  if (roll < 0.3) return pick(r, STRINGS);
  if (roll < 0.4) return pick(r, NUMBERS);
  if (roll < 0.45) return pick(r, [true, false, null]);
  if (roll < 0.55) return pick(r, [k.roomId, k.otherRoomId, k.messageId, k.username, k.token]);
  if (roll < 0.6) return deep(pick(r, [17, 40, 200]), 'x', chance(r, 0.5));
  if (roll < 0.7)
    return pick(r, [{ $gt: '' }, { $ne: null }, { $where: 'sleep(1000)' }, { $regex: '.*' }, { $in: [k.roomId] }]);
  if (roll < 0.8) return protoObject(r, k);
  if (budget <= 0) return {};
  if (roll < 0.9) return Array.from({ length: pick(r, [0, 1, 3, 11, 500]) }, () => hostileValue(r, k, budget - 1));
  const o: Record<string, unknown> = {};
  for (let i = 0, n = pick(r, [0, 1, 2, 5]); i < n; i++) o[pick(r, STRINGS)] = hostileValue(r, k, budget - 1);
  return o;
}

/** An object with prototype keys, as JSON text would carry them (own properties). */
function protoObject(r: Rand, k: Known): unknown {
  const key = pick(r, ['__proto__', 'constructor', 'prototype']);
  return JSON.parse(
    JSON.stringify({
      [key]: pick(r, [{ polluted: 'yes' }, { prototype: { polluted: 'yes' } }, 'x', 1]),
      roomId: k.roomId,
    }).replace('"roomId"', `"${pick(r, ['roomId', 'username', 'body', '__proto__'])}"`),
  );
}

/** A well-formed payload with one field replaced, dropped, or one extra field added. */
function mutate(r: Rand, k: Known, valid: Record<string, unknown>): unknown {
  const roll = r();
  if (roll < 0.1) return hostileValue(r, k);
  const out: Record<string, unknown> = { ...valid };
  const keys = Object.keys(out);
  if (roll < 0.6 && keys.length > 0) out[pick(r, keys)] = hostileValue(r, k);
  else if (roll < 0.75 && keys.length > 0) delete out[pick(r, keys)];
  else if (roll < 0.9) out[pick(r, ['extra', '__proto__', 'constructor', '$set', 'a.b'])] = hostileValue(r, k);
  else return JSON.parse(`{"__proto__":{"polluted":"yes"},${JSON.stringify(out).slice(1)}`.replace(',}', '}'));
  return out;
}

/** Percent-encoding that also carries lone surrogates, as the raw bytes of an invalid UTF-8 sequence. */
function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return `${encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80`;
  }
}

const id = (r: Rand, k: Known): string =>
  encode(
    String(
      pick(r, [
        k.roomId,
        k.roomId,
        k.otherRoomId,
        k.messageId,
        'no-such-room',
        ...STRINGS.filter((s) => s !== ''),
        '..',
        '%2e%2e',
        'a'.repeat(3000),
      ]),
    ),
  ).replace(/%25/g, chance(r, 0.2) ? '%' : '%25');

function query(r: Rand, k: Known): string {
  if (chance(r, 0.5)) return '';
  const parts: string[] = [];
  for (let i = 0, n = pick(r, [1, 2, 3]); i < n; i++) {
    const key = pick(r, [
      'before',
      'after',
      'limit',
      'q',
      'roomId',
      '__proto__[x]',
      'constructor[prototype][x]',
      'limit[]',
      'a[b][c]',
    ]);
    parts.push(`${key}=${encode(String(hostileValue(r, k, 0)).slice(0, 300))}`);
  }
  return `?${parts.join('&')}`;
}

const ROUTES: ReadonlyArray<(r: Rand, k: Known) => { method: string; path: string; valid?: Record<string, unknown> }> =
  [
    (r) => ({
      method: 'POST',
      path: '/api/auth/register',
      valid: { username: `fz${Math.floor(r() * 1e9)}`, password: 'correct horse battery' },
    }),
    (_r, k) => ({
      method: 'POST',
      path: '/api/auth/login',
      valid: { username: k.username, password: 'wrong password here' },
    }),
    () => ({ method: 'POST', path: '/api/auth/logout' }),
    () => ({ method: 'GET', path: '/api/auth/me' }),
    () => ({ method: 'GET', path: '/api/rooms' }),
    (r) => ({
      method: 'POST',
      path: '/api/rooms',
      valid: { name: `fz-${Math.floor(r() * 1e9)}`, kind: pick(r, ['public', 'private']) },
    }),
    (r, k) => ({ method: 'GET', path: `/api/rooms/${id(r, k)}` }),
    (r, k) => ({ method: 'POST', path: `/api/rooms/${id(r, k)}/join` }),
    (r, k) => ({ method: 'POST', path: `/api/rooms/${id(r, k)}/leave` }),
    (r, k) => ({ method: 'POST', path: `/api/rooms/${id(r, k)}/members`, valid: { username: k.username } }),
    (_r, k) => ({ method: 'POST', path: '/api/dm', valid: { username: k.username } }),
    (r, k) => ({ method: 'GET', path: `/api/rooms/${id(r, k)}/messages` }),
    (r, k) => ({ method: 'POST', path: `/api/rooms/${id(r, k)}/attachments` }),
    (r, k) => ({ method: 'GET', path: `/api/attachments/${id(r, k)}` }),
    () => ({ method: 'GET', path: '/api/search' }),
    () => ({ method: 'GET', path: '/healthz' }),
    () => ({ method: 'GET', path: '/readyz' }),
    () => ({ method: 'GET', path: '/metrics' }),
    (r) => ({
      method: pick(r, ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']),
      path: pick(r, [
        '/api',
        '/api/',
        '/api/nope',
        '/api/rooms/',
        '//api/rooms',
        '/api/rooms/%E0%A4%A',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/index.html',
        '/',
      ] as const),
    }),
  ];

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'application/xml',
  '',
  'application/json, text/html',
] as const;

function httpCase(r: Rand, k: Known): HttpCase {
  const route = pick(r, ROUTES)(r, k);
  const headers: Record<string, string> = {};
  const auth = r();
  if (auth < 0.6) headers.authorization = `Bearer ${k.token}`;
  else if (auth < 0.7) headers.cookie = `sid=${k.token}`;
  else if (auth < 0.8)
    headers.authorization = pick(r, [
      'Bearer ',
      'Bearer x',
      'Basic Zm9vOmJhcg==',
      `Bearer ${'a'.repeat(5000)}`,
      'bearer \tx',
    ]);
  if (chance(r, 0.1))
    headers['content-encoding'] = pick(r, ['gzip', 'deflate', 'br', 'identity, gzip', 'bogus', 'gzip, gzip']);
  if (chance(r, 0.05)) headers.origin = pick(r, ['http://evil.example', 'null', '']);
  if (chance(r, 0.05)) headers['x-forwarded-for'] = pick(r, ['1.2.3.4', 'garbage', '::1, 10.0.0.1']);
  // Logging the fuzzing session out would turn every later case into a plain 401.
  if (route.path === '/api/auth/logout' && (headers.authorization?.includes(k.token) || headers.cookie)) {
    headers.authorization = 'Bearer not-a-session';
    delete headers.cookie;
  }
  let body: string | Buffer | undefined;
  const shape = r();
  if (route.valid && shape < 0.6) body = JSON.stringify(mutate(r, k, route.valid));
  else if (shape < 0.7) body = JSON.stringify(hostileValue(r, k));
  else if (shape < 0.8)
    body = pick(r, ['{', '{"a":', 'null', '[]', '""', '{"a":1}{"b":2}', '\u0000', '{"username":"\\ud800"}']);
  else if (shape < 0.85)
    body = Buffer.from(Array.from({ length: pick(r, [1, 64, 4096]) }, () => Math.floor(r() * 256)));
  if (body !== undefined) headers['content-type'] = chance(r, 0.8) ? 'application/json' : pick(r, CONTENT_TYPES);
  return { kind: 'http', method: route.method, path: route.path + query(r, k), headers, body };
}

const EVENTS: ReadonlyArray<(r: Rand, k: Known) => { event: string; valid: Record<string, unknown> }> = [
  (r, k) => ({ event: 'room:join', valid: { roomId: pick(r, [k.roomId, k.otherRoomId]), afterSeq: 0 } }),
  (_r, k) => ({ event: 'room:leave', valid: { roomId: k.otherRoomId } }),
  (r, k) => ({
    event: 'message:send',
    valid: { roomId: k.roomId, clientMsgId: `fz-${Math.floor(r() * 1e12)}`, body: 'fuzz' },
  }),
  (_r, k) => ({ event: 'message:edit', valid: { messageId: k.messageId, body: 'edited by fuzz' } }),
  (_r, k) => ({ event: 'message:delete', valid: { messageId: 'no-such-message' + k.roomId } }),
  (_r, k) => ({ event: 'typing', valid: { roomId: k.roomId, typing: true } }),
  (_r, k) => ({ event: 'room:read', valid: { roomId: k.roomId, seq: 1 } }),
];

function socketCase(r: Rand, k: Known): SocketCase {
  const { event, valid } = pick(r, EVENTS)(r, k);
  const roll = r();
  let args: unknown[];
  if (roll < 0.75) args = [mutate(r, k, valid)];
  else if (roll < 0.85) args = [pick(r, [undefined, null, 1, 'x', [], Buffer.from('bin')])];
  else if (roll < 0.95) args = [mutate(r, k, valid), hostileValue(r, k)];
  else args = [];
  return { kind: 'socket', event, args };
}

/** Case `index` of the run seeded `seed`. */
export function hostileCase(seed: number, index: number, k: Known): Case {
  const r = prng((Math.imul(seed | 0, 0x9e3779b1) + Math.imul(index | 0, 0x85ebca6b)) >>> 0);
  return chance(r, 0.6) ? httpCase(r, k) : socketCase(r, k);
}

export const ERROR_CODES = new Set([
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'USERNAME_TAKEN',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
]);
