/** MongoDB's NotImplemented code, which FerretDB answers for the TTL index option. */
const NOT_IMPLEMENTED = 238;

function codeOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : '';
}

/** A unique-index violation. FerretDB gives no keyPattern, so callers check which constraint themselves. */
export function isDuplicateKey(err: unknown): boolean {
  return codeOf(err) === 11000;
}

/** The server refused an index only because it cannot expire documents (FerretDB v1). */
export function isTtlUnsupported(err: unknown): boolean {
  return codeOf(err) === NOT_IMPLEMENTED && messageOf(err).includes('expireAfterSeconds');
}

const UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

/** The database could not be reached (as opposed to refusing the operation). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // Mongoose's own error when a command waited too long for a connection.
  if (err.name === 'MongooseError' && /buffering timed out/.test(err.message)) return true;
  return UNREACHABLE.has(err.name);
}
