/** MongoDB's NotImplemented code, which FerretDB answers for the TTL index option. */
const NOT_IMPLEMENTED = 238;

function codeOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
}

/**
 * A unique-index violation. FerretDB reports no keyPattern, so callers find out which
 * constraint it was by looking the conflicting document up themselves.
 */
export function isDuplicateKey(err: unknown): boolean {
  return codeOf(err) === 11000;
}

/** The server refused an index only because it cannot expire documents (FerretDB v1). */
export function isTtlUnsupported(err: unknown): boolean {
  return codeOf(err) === NOT_IMPLEMENTED && err instanceof Error && err.message.includes('expireAfterSeconds');
}

const UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoPoolClearedError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

/**
 * The database could not be reached (as opposed to refusing the operation): a caller's UNAVAILABLE.
 * A bulk write that failed on a lost connection wraps the network error (`errorResponse`, `cause`).
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 3) return false;
  // Mongoose's own error when a command waited too long for a connection.
  if (UNREACHABLE.has(err.name) || /buffering timed out/.test(err.message)) return true;
  const wrapped = err as { errorResponse?: unknown; cause?: unknown };
  return isDatabaseUnavailable(wrapped.errorResponse, depth + 1) || isDatabaseUnavailable(wrapped.cause, depth + 1);
}
