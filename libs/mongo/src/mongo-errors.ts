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

/** The database could not be reached (as opposed to refusing the operation): a caller's UNAVAILABLE. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // Mongoose's own error when a command waited too long for a connection.
  return UNREACHABLE.has(err.name) || /buffering timed out/.test(err.message);
}
