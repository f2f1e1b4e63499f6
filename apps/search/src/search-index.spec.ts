import { mkdtempSync } from 'node:fs';
import { Database } from 'node-sqlite3-wasm';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageView, RoomKind } from '@app/contracts';
import { SearchIndex } from './search-index';
import { matchExpression, parseQuery } from './search-query';

const at = Date.parse('2026-12-01T10:00:00.000Z');
let seq = 0;
function msg(roomId: string, body: string, username = 'alice', offsetMs = seq): MessageView {
  seq += 1;
  return {
    id: `${roomId}:${seq}`,
    roomId,
    seq,
    author: { id: `id-${username}`, username },
    body,
    attachments: [],
    clientMsgId: `c${seq}`,
    createdAt: new Date(at + offsetMs).toISOString(),
  };
}
const find = (index: SearchIndex, q: string, rooms: string[] = [], roomId?: string, limit = 50, before?: number) =>
  index.search(matchExpression(parseQuery(q)!, rooms, roomId), limit, before);

describe('SearchIndex (SQLite FTS5)', () => {
  let index: SearchIndex;
  const put = (kind: RoomKind, m: MessageView) => index.put([{ message: m, roomKind: kind }]);

  beforeEach(() => {
    index = new SearchIndex(join(mkdtempSync(join(tmpdir(), 'search-')), 'i.sqlite'));
  });
  afterEach(() => index.close());

  it('matches words in any case and without diacritics, newest first, with the words as written', () => {
    const a = msg('pub1', 'Le Café est ouvert');
    const b = msg('pub1', 'un cafe noir');
    put('public', a);
    put('public', b);
    const hits = find(index, 'CAFÉ');
    expect(hits.map((h) => h.message.id)).toEqual([b.id, a.id]);
    expect(hits.map((h) => h.highlights)).toEqual([['cafe'], ['Café']]);
  });

  it('scopes to public rooms and the given member rooms, one room, one author', () => {
    put('public', msg('pub1', 'secret plan', 'bob'));
    const priv = msg('priv1', 'secret plan');
    put('private', priv);
    expect(find(index, 'secret')).toHaveLength(1);
    expect(find(index, 'secret', ['priv1']).map((h) => h.message.id)).toContain(priv.id);
    expect(find(index, 'secret', ['priv1'], 'priv1').map((h) => h.message.id)).toEqual([priv.id]);
    expect(find(index, 'secret', [], 'priv1')).toEqual([]);
    expect(find(index, 'secret from:BOB', ['priv1']).map((h) => h.message.author.username)).toEqual(['bob']);
  });

  it('matches a quoted phrase only in that order', () => {
    put('public', msg('p', 'the quick brown fox'));
    put('public', msg('p', 'brown the quick fox'));
    expect(find(index, '"quick brown"')).toHaveLength(1);
    expect(find(index, 'quick brown')).toHaveLength(2);
  });

  it('reflects edits and deletes at once, and pages with the position as cursor', () => {
    const m = msg('p', 'first words');
    put('public', m);
    index.update({ ...m, body: 'second words', editedAt: new Date().toISOString() });
    expect(find(index, 'first')).toEqual([]);
    expect(find(index, 'second')[0].message.body).toBe('second words');
    index.put([{ message: { ...m, body: '', deleted: true }, roomKind: 'public' }]);
    expect(find(index, 'second')).toEqual([]);

    for (let i = 0; i < 5; i++) put('public', msg('p', `page item ${i}`, 'alice', 0));
    const first = find(index, 'page', [], undefined, 2);
    const next = find(index, 'page', [], undefined, 10, first[1].position);
    expect(first).toHaveLength(2);
    expect(next).toHaveLength(3);
    expect(new Set([...first, ...next].map((h) => h.message.id)).size).toBe(5);
  });

  it('treats engine syntax typed by a user as words, never as an error', () => {
    put('public', msg('p', 'AND OR NOT NEAR( body:x "quoted" *'));
    for (const q of ['AND', 'NEAR(', 'body:x', '*', '"', 'x"y', '^start', '-minus', "' OR 1=1 --"]) {
      const parsed = parseQuery(q);
      if (parsed) expect(() => index.search(matchExpression(parsed, []), 10)).not.toThrow();
    }
  });
});

describe('SearchIndex positions of messages of one millisecond', () => {
  let index: SearchIndex;

  beforeEach(() => {
    index = new SearchIndex(join(mkdtempSync(join(tmpdir(), 'search-')), 'i.sqlite'));
  });
  afterEach(() => index.close());

  const sameInstant = (n: number, offsetMs: number) =>
    Array.from({ length: n }, (_, i) => ({
      message: msg('pub9', `burst word${i}`, 'alice', offsetMs),
      roomKind: 'public' as const,
    }));

  it('gives each its own position, in the order they were indexed, across batches', () => {
    const first = sameInstant(30, 5_000);
    const second = sameInstant(30, 5_000);
    index.put(first);
    index.put(second);
    const hits = find(index, 'burst', [], undefined, 100);
    // Newest first: the second batch's last message on top, the first batch's first at the bottom.
    expect(hits.map((h) => h.message.id)).toEqual([...first, ...second].map((m) => m.message.id).reverse());
    expect(new Set(hits.map((h) => h.position)).size).toBe(60);
  });

  it('walks into the next millisecond past a thousand messages in one, without taking its rows', () => {
    const crowded = sameInstant(1_001, 6_000);
    index.put(crowded);
    const next = msg('pub9', 'burst after', 'alice', 6_001);
    index.put([{ message: next, roomKind: 'public' }]);
    const hits = find(index, 'burst', [], undefined, 2_000);
    expect(hits).toHaveLength(1_002);
    expect(new Set(hits.map((h) => h.position)).size).toBe(1_002);
    expect(hits[0].message.id).toBe(next.id);
  });
});

describe('SearchIndex statements, prepared once', () => {
  let file: string;
  let index: SearchIndex;

  beforeEach(() => {
    file = join(mkdtempSync(join(tmpdir(), 'search-')), 'i.sqlite');
    index = new SearchIndex(file);
  });
  afterEach(() => index.close());

  it('hold no read open between calls: another connection can checkpoint the whole log', () => {
    index.put([{ message: msg('pub7', 'hello there'), roomKind: 'public' }]);
    index.setMeta('k', 'v');
    expect(index.meta('k')).toBe('v');
    expect(find(index, 'hello')).toHaveLength(1);
    const other = new Database(file);
    try {
      // busy = 1 when a reader (a statement left on a row) keeps the log from being checkpointed.
      expect(other.get('PRAGMA wal_checkpoint(TRUNCATE)')).toMatchObject({ busy: 0 });
    } finally {
      other.close();
    }
  });

  it('prepares a statement that failed again: the next call with it works', () => {
    index.put([{ message: msg('pub7', 'hello again'), roomKind: 'public' }]);
    // Not what matchExpression makes: an FTS5 syntax error, straight to the index.
    expect(() => index.search('"unterminated', 10)).toThrow();
    expect(index.search(matchExpression(parseQuery('hello')!, [], undefined), 10)).toHaveLength(1);
  });
});
