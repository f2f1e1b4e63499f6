import { request as httpRequest } from 'node:http';
import { io, Socket } from 'socket.io-client';

/** Answers are checked field by field against the contract, so tests read them loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the raw text ('' when empty). */
  body: T;
  text: string;
}

export interface ApiRequest {
  token?: string;
  cookie?: string;
  /** Sent as JSON unless `raw` is given. */
  json?: unknown;
  /** Sent verbatim (with `contentType`, default application/json). */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Api {
  baseUrl: string;
  request<T = Json>(method: string, path: string, req?: ApiRequest): Promise<ApiResponse<T>>;
  get<T = Json>(path: string, req?: ApiRequest): Promise<ApiResponse<T>>;
  post<T = Json>(path: string, json?: unknown, req?: ApiRequest): Promise<ApiResponse<T>>;
}

/** A small fetch wrapper: never throws on a status, hands back status, headers and body. */
export function api(baseUrl: string): Api {
  const request = async <T = Json>(method: string, path: string, req: ApiRequest = {}): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...req.headers };
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    if (req.cookie) headers.cookie = req.cookie;
    let body: string | Buffer | undefined;
    if (req.raw !== undefined) {
      body = req.raw;
      headers['content-type'] ??= req.contentType ?? 'application/json';
    } else if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  };
  return {
    baseUrl,
    request,
    get: (path, req) => request('GET', path, req),
    post: (path, json, req) => request('POST', path, { ...req, json }),
  };
}

export interface TestUser {
  id: string;
  username: string;
}

export interface Session {
  user: TestUser;
  token: string;
  /** `sid=<value>`, ready for a Cookie header. */
  cookie: string;
  password: string;
}

let counter = 0;
/** A username no other test (or run against the same database) has used: 3–32 chars of [A-Za-z0-9_.-]. */
export function uniqueName(prefix: string): string {
  counter += 1;
  const tail = `${Date.now().toString(36).slice(-5)}${process.pid.toString(36)}${counter.toString(36)}`;
  return `${prefix.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 32 - tail.length - 1)}_${tail}`.slice(0, 32);
}

/** Registers a fresh user and logs in; fails loudly with the answer when either step does not succeed. */
export async function registerAndLogin(
  baseUrl: string,
  namePrefix: string,
  password = 'correct horse battery',
): Promise<Session> {
  const client = api(baseUrl);
  const username = uniqueName(namePrefix);
  const reg = await client.post('/api/auth/register', { username, password });
  if (reg.status !== 201) throw new Error(`register ${username}: ${reg.status} ${reg.text}`);
  return login(baseUrl, username, password);
}

/** Logs an existing user in (a new session). */
export async function login(baseUrl: string, username: string, password: string): Promise<Session> {
  const res = await api(baseUrl).post('/api/auth/login', { username, password });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${res.text}`);
  return { user: res.body.user, token: res.body.token, cookie: sidCookie(res.headers), password };
}

/** `sid=<value>` from a response's Set-Cookie ('' when none). */
export function sidCookie(headers: Headers): string {
  for (const c of headers.getSetCookie()) {
    const m = /^sid=([^;]*)/.exec(c);
    if (m) return `sid=${m[1]}`;
  }
  return '';
}

const openSockets = new Set<Socket>();

/**
 * Connects a real socket.io client (websocket transport only) with a token or the `sid` cookie.
 * Resolves on `connect`, rejects with the `connect_error` (its `message` is the server's reason).
 */
export function connectSocket(baseUrl: string, auth: string | { cookie: string }, timeoutMs = 5000): Promise<Socket> {
  const socket = io(baseUrl, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: timeoutMs,
    ...(typeof auth === 'string' ? { auth: { token: auth } } : { extraHeaders: { cookie: auth.cookie } }),
  });
  openSockets.add(socket);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`socket to ${baseUrl} did not connect within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
  });
}

/** Closes every socket `connectSocket` opened (call in afterAll/afterEach). */
export function closeAllSockets(): void {
  for (const s of openSockets) s.close();
  openSockets.clear();
}

/** Emits with an acknowledgement; rejects when none arrives within `timeoutMs`. */
export function emitAck<T = Json>(socket: Socket, event: string, payload: unknown, timeoutMs = 5000): Promise<T> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<T>;
}

export interface Collector<T = Json> {
  /** Payloads in arrival order. */
  items: T[];
  /** Resolves once `predicate(items)` holds, rejects after `timeoutMs`. */
  until(predicate: (items: T[]) => boolean, timeoutMs?: number): Promise<T[]>;
  stop(): void;
}

/** Records every `event` the socket receives from now on. */
export function collect<T = Json>(socket: Socket, event: string): Collector<T> {
  const items: T[] = [];
  const onEvent = (payload: T) => items.push(payload);
  socket.on(event, onEvent);
  return {
    items,
    until: async (predicate, timeoutMs = 5000) => {
      await waitFor(() => predicate(items), timeoutMs, `${event} collector`);
      return items;
    },
    stop: () => socket.off(event, onEvent),
  };
}

/** Polls `predicate` (sync or async) until truthy; rejects after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Resolves when the socket is disconnected (now or later), with the reason. */
export function disconnected(socket: Socket, timeoutMs = 5000): Promise<string> {
  if (!socket.connected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still connected after ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** A fresh client message id (1–64 of [A-Za-z0-9_-]). */
export function newClientMsgId(): string {
  counter += 1;
  return `c${Date.now().toString(36)}${counter.toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * A request through node:http, for what fetch refuses to send (a body on a GET, any header):
 * the status and the parsed body.
 */
export function rawHttp(
  baseUrl: string,
  method: string,
  path: string,
  req: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; body: Json }> {
  return new Promise((resolve, reject) => {
    const headers = {
      ...req.headers,
      ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}),
    };
    const r = httpRequest(`${baseUrl}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body: Json = {};
        try {
          body = text ? JSON.parse(text) : {};
        } catch {
          body = { text };
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    r.on('error', reject);
    r.setTimeout(15_000, () => r.destroy(new Error('timeout')));
    r.end(req.body);
  });
}
