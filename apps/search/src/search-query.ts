import { USERNAME_PATTERN } from '@app/contracts';

/** A query as the user typed it, taken apart: words and "quoted phrases" (all must match), `from:name`. */
export interface ParsedQuery {
  /** Each a word or a phrase, matched as a whole phrase, in any case, diacritics ignored. */
  phrases: string[];
  /** Lower-case username of `from:`, when given. */
  from?: string;
}

/**
 * Parses the query text. Quotes make a phrase; an unclosed quote runs to the end. `from:name`
 * narrows by author. Nothing here is passed to the engine as syntax: every phrase is quoted when the
 * expression is built, so `AND`, `*`, `^`, `NEAR(` and column filters typed by a user are words.
 * Null when nothing searchable is left.
 */
export function parseQuery(q: string): ParsedQuery | null {
  const phrases: string[] = [];
  let from: string | undefined;
  for (const m of q.matchAll(/"([^"]*)"?|(\S+)/g)) {
    const [, quoted, word] = m;
    if (word !== undefined && /^from:/i.test(word)) {
      const name = word.slice(5);
      if (USERNAME_PATTERN.test(name)) from = name.toLowerCase();
      else return null;
      continue;
    }
    const text = (quoted ?? word ?? '').trim();
    if (/[\p{L}\p{N}]/u.test(text)) phrases.push(text);
  }
  if (phrases.length === 0 && from === undefined) return null;
  return { phrases, ...(from === undefined ? {} : { from }) };
}

/** An FTS5 string literal: the text in double quotes, quotes doubled. */
const literal = (text: string): string => `"${text.replace(/"/g, '""')}"`;

/** Index tokens (one word each for the tokenizer: letters and digits only). */
export const PUBLIC_TAG = 'pub';
export const roomTag = (roomId: string): string => `r${Buffer.from(roomId).toString('hex')}`;
export const authorTag = (username: string): string => `a${Buffer.from(username.toLowerCase()).toString('hex')}`;

/**
 * The FTS5 expression: every phrase in the body, and the message in scope: in a public room or
 * in one of `memberRooms`; with `roomId`, in that room only (still under the same scope).
 */
export function matchExpression(query: ParsedQuery, memberRooms: string[], roomId?: string): string {
  const parts: string[] = [];
  if (query.phrases.length > 0) parts.push(`body : (${query.phrases.map(literal).join(' AND ')})`);
  const scope = [PUBLIC_TAG, ...memberRooms.map(roomTag)];
  parts.push(`tags : (${scope.join(' OR ')})`);
  if (roomId !== undefined) parts.push(`tags : ${roomTag(roomId)}`);
  if (query.from !== undefined) parts.push(`tags : ${authorTag(query.from)}`);
  return parts.join(' AND ');
}
