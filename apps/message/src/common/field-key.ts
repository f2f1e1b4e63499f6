/**
 * An id used as a field name in an update path (`rooms.<id>`): ids we issue are UUIDs, and a
 * name with a dot or a leading `$` would address another field, so anything else is refused.
 */
export function fieldKey(id: string): string {
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw new Error(`not an id: ${JSON.stringify(id).slice(0, 40)}`);
  return id;
}
