import { createHash } from 'node:crypto';

/**
 * A name-based UUID (version 5, RFC 9562): the same name in the same namespace gives the same
 * id. Lets a document whose identity is a name be found by `_id`, the one lookup FerretDB
 * does not answer with a full scan. Namespaces are fixed forever: changing one renames everything.
 */
export function nameUuid(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name)
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
