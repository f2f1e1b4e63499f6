import type { MessageView, RoomView, UserView } from '@app/contracts/views';

/** An error as the contract shapes it: `{error: {code, message}}`, plus the HTTP status and Retry-After. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export interface LoginReply {
  token: string;
  expiresAt: string;
  user: UserView;
}

export interface HistoryPage {
  messages: MessageView[];
  hasMore: boolean;
}

export interface HistoryQuery {
  before?: number;
  after?: number;
  limit?: number;
}

let onUnauthorized: (() => void) | undefined;

/** Called when a signed-in call answers 401: the session ended elsewhere (logout, expiry). */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

/** For callers outside `request` (uploads) that got a 401. */
export function reportUnauthorized(): void {
  onUnauthorized?.();
}

interface ErrorShape {
  error?: { code?: unknown; message?: unknown };
}

async function request<T>(method: string, path: string, body?: unknown, signedIn = true): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { Accept: 'application/json' } : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'UNAVAILABLE', 'Cannot reach the server. Check your connection and try again.');
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as unknown;
  if (res.ok) return data as T;

  const error = (data as ErrorShape | null)?.error;
  const code = typeof error?.code === 'string' ? error.code : 'INTERNAL';
  const message = typeof error?.message === 'string' ? error.message : `The request failed (${res.status}).`;
  const retryAfter = Number(res.headers.get('Retry-After'));
  if (res.status === 401 && signedIn) onUnauthorized?.();
  throw new ApiError(res.status, code, message, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}

const enc = encodeURIComponent;

export const api = {
  register: (username: string, password: string) =>
    request<{ user: UserView }>('POST', '/api/auth/register', { username, password }, false),
  login: (username: string, password: string) =>
    request<LoginReply>('POST', '/api/auth/login', { username, password }, false),
  logout: () => request<void>('POST', '/api/auth/logout', undefined, false),
  me: () => request<{ user: UserView }>('GET', '/api/auth/me', undefined, false),

  rooms: () => request<{ rooms: RoomView[] }>('GET', '/api/rooms'),
  room: (roomId: string) => request<{ room: RoomView; members: UserView[] }>('GET', `/api/rooms/${enc(roomId)}`),
  createRoom: (name: string, kind: 'public' | 'private') =>
    request<{ room: RoomView }>('POST', '/api/rooms', { name, kind }),
  leaveRoom: (roomId: string) => request<void>('POST', `/api/rooms/${enc(roomId)}/leave`),
  addMember: (roomId: string, username: string) =>
    request<{ room: RoomView }>('POST', `/api/rooms/${enc(roomId)}/members`, { username }),
  openDirect: (username: string) => request<{ room: RoomView }>('POST', '/api/dm', { username }),

  search: (q: string, before?: string) => {
    const params = new URLSearchParams({ q, ...(before ? { before } : {}) });
    return request<SearchPage>('GET', `/api/search?${params.toString()}`);
  },

  messages: (roomId: string, query: HistoryQuery = {}) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const qs = params.toString();
    return request<HistoryPage>('GET', `/api/rooms/${enc(roomId)}/messages${qs ? `?${qs}` : ''}`);
  },
};

export interface SearchPage {
  results: { message: MessageView; highlights: string[] }[];
  nextBefore?: string;
}

/** The text to show for a failed call; RATE_LIMITED gets the wait. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'RATE_LIMITED' && err.retryAfterSeconds) {
      return `${err.message.replace(/\.$/, '')}. You can try again in ${waitText(err.retryAfterSeconds)}.`;
    }
    return err.message;
  }
  if (err instanceof Error && err.message) return err.message;
  return 'Something went wrong. Please try again.';
}

/** "45 seconds", "15 minutes", "2 hours": a Retry-After a person can read. */
export function waitText(seconds: number): string {
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (seconds < 60) return unit(Math.ceil(seconds), 'second');
  if (seconds < 3600) return unit(Math.ceil(seconds / 60), 'minute');
  return unit(Math.ceil(seconds / 3600), 'hour');
}
