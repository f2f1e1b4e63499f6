/**
 * A unique-index violation. FerretDB reports no keyPattern, so callers find out which
 * constraint it was by looking the conflicting document up themselves.
 */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}
