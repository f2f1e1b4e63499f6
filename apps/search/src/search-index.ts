import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Database, type JSValue, type Statement } from 'node-sqlite3-wasm';
import type { MessageView, RoomKind } from '@app/contracts';
import { claimIndexFile } from './index-file-claim';
import { PUBLIC_TAG, authorTag, roomTag } from './search-query';

/** One message as indexed: its view, and the kind of its room (public rooms are in everyone's scope). */
export interface IndexedMessage {
  message: MessageView;
  roomKind: RoomKind;
}

export interface Hit {
  message: MessageView;
  highlights: string[];
  /** Position in the index, newest highest: the cursor. */
  position: number;
}

const MARK_OPEN = '\u0002';
const MARK_CLOSE = '\u0003';

/**
 * The full-text index: SQLite FTS5 (unicode61 tokenizer, diacritics removed, any case) in one file,
 * through node-sqlite3-wasm (SQLite compiled to WebAssembly, with FTS5; no native build). `docs`
 * holds each message's body and its scope tags (public, room, author); `messages` maps a message id
 * to its row and keeps the view the results show. Row ids grow with the message's creation time,
 * so newest first is a walk down the rowid, and the cursor is a rowid.
 */
export class SearchIndex {
  private readonly db: Database;
  private inTransaction = false;
  /**
   * Prepared once, kept while the database is open: preparing a statement costs SQLite more than
   * running it (at 1,000 messages/s, preparing was most of this service's CPU).
   */
  private readonly statements = new Map<string, Statement>();

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    claimIndexFile(file);
    this.db = new Database(file);
    this.db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA synchronous = NORMAL;
      CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5(body, tags, tokenize = 'unicode61 remove_diacritics 2');
      CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, row INTEGER NOT NULL UNIQUE, view TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
  }

  /** Adds messages not held yet, in one transaction. A tombstone (deleted) is removed instead. */
  put(items: IndexedMessage[]): void {
    this.transaction(() => {
      for (const { message, roomKind } of items) {
        if (message.deleted) {
          this.removeOne(message.id);
          continue;
        }
        // Held already: a redelivered event (an edit may have changed it since: keep that).
        if (this.get('SELECT 1 AS held FROM messages WHERE id = ?', [message.id])) continue;
        const row = this.freeRow(message);
        const tags = [
          roomKind === 'public' ? PUBLIC_TAG : '',
          roomTag(message.roomId),
          authorTag(message.author.username),
        ];
        this.run('INSERT INTO docs (rowid, body, tags) VALUES (?, ?, ?)', [row, message.body, tags.join(' ').trim()]);
        this.run('INSERT OR REPLACE INTO messages (id, row, view) VALUES (?, ?, ?)', [
          message.id,
          row,
          JSON.stringify(message),
        ]);
      }
    });
  }

  /**
   * An edit: the new body and view, keeping the row and scope tags (an edit of a message the index
   * does not hold yet is ignored: its `message.new` brings the edited body, or it is re-indexed).
   */
  update(message: MessageView): void {
    this.transaction(() => {
      const known = this.get('SELECT row FROM messages WHERE id = ?', [message.id]) as { row: number } | null;
      if (!known) return;
      if (message.deleted) return void this.removeOne(message.id);
      const tags = this.get('SELECT tags FROM docs WHERE rowid = ?', [known.row]) as { tags: string } | null;
      this.run('DELETE FROM docs WHERE rowid = ?', [known.row]);
      this.run('INSERT INTO docs (rowid, body, tags) VALUES (?, ?, ?)', [known.row, message.body, tags?.tags ?? '']);
      this.run('UPDATE messages SET view = ? WHERE id = ?', [JSON.stringify(message), message.id]);
    });
  }

  remove(ids: string[]): void {
    this.transaction(() => {
      for (const id of ids) this.removeOne(id);
    });
  }

  /** Newest first, rows below `before`; `limit` + 1 are read so the caller knows whether more exist. */
  search(expression: string, limit: number, before?: number): Hit[] {
    const rows = this.all(
      `SELECT docs.rowid AS row, highlight(docs, 0, ?, ?) AS marked, messages.view AS view
         FROM docs JOIN messages ON messages.row = docs.rowid
        WHERE docs MATCH ? ${before === undefined ? '' : 'AND docs.rowid < ?'}
        ORDER BY docs.rowid DESC LIMIT ?`,
      [MARK_OPEN, MARK_CLOSE, expression, ...(before === undefined ? [] : [before]), limit],
    ) as { row: number; marked: string; view: string }[];
    return rows.map((r) => ({
      message: JSON.parse(r.view) as MessageView,
      highlights: marked(r.marked),
      position: r.row,
    }));
  }

  count(): number {
    return (this.db.get('SELECT count(*) AS n FROM messages') as { n: number }).n;
  }

  meta(key: string): string | undefined {
    return (this.get('SELECT value FROM meta WHERE key = ?', [key]) as { value: string } | null)?.value;
  }

  setMeta(key: string, value: string): void {
    this.run('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', [key, value]);
  }

  close(): void {
    if (!this.db.isOpen) return;
    for (const statement of this.statements.values()) statement.finalize();
    this.statements.clear();
    this.db.close();
  }

  /** The first row `sql` answers, or null. Read to the end: a statement left on a row would hold its read open. */
  private get(sql: string, values: JSValue[]): unknown {
    return this.use(sql, (statement) => statement.all(values)[0] ?? null);
  }

  private all(sql: string, values: JSValue[]): unknown[] {
    return this.use(sql, (statement) => statement.all(values));
  }

  private run(sql: string, values: JSValue[]): void {
    this.use(sql, (statement) => statement.run(values));
  }

  /**
   * Runs `work` with the statement for `sql`, prepared on first use and kept. One that failed is
   * finalized and prepared again next time: after an error SQLite's reset reports that error once
   * more, which the driver would take for a statement it cannot reuse.
   */
  private use<T>(sql: string, work: (statement: Statement) => T): T {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    try {
      return work(statement);
    } catch (err) {
      this.statements.delete(sql);
      statement.finalize();
      throw err;
    }
  }

  private removeOne(id: string): void {
    const known = this.get('SELECT row FROM messages WHERE id = ?', [id]) as { row: number } | null;
    if (!known) return;
    this.run('DELETE FROM docs WHERE rowid = ?', [known.row]);
    this.run('DELETE FROM messages WHERE id = ?', [id]);
  }

  /**
   * createdAt in µs, moved up past the rows taken by messages of the same millisecond: one look at
   * the highest row of that millisecond (the row index), not one per message already in it.
   */
  private freeRow(message: MessageView): number {
    const base = Date.parse(message.createdAt) * 1000;
    const highest = this.get('SELECT max(row) AS row FROM messages WHERE row >= ? AND row < ?', [
      base,
      base + 1000,
    ]) as { row: number | null } | null;
    let row = highest?.row == null ? base : highest.row + 1;
    // Past a millisecond's thousand: walk on into the next one's rows (never reached in practice).
    while (this.get('SELECT 1 AS taken FROM messages WHERE row = ?', [row])) row += 1;
    return row;
  }

  /** Runs `work` in one transaction (the changes inside it join it): all of it is stored, or none. */
  transaction(work: () => void): void {
    if (this.inTransaction) return work();
    this.db.exec('BEGIN');
    this.inTransaction = true;
    try {
      work();
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    } finally {
      this.inTransaction = false;
    }
  }
}

/** The marked stretches of a highlighted body, as written, once each (in any case). */
function marked(text: string): string[] {
  const seen = new Map<string, string>();
  // eslint-disable-next-line no-control-regex -- the markers are control characters no body holds
  for (const m of text.matchAll(/\u0002([^\u0003]*)\u0003/g)) {
    const word = m[1];
    if (!seen.has(word.toLowerCase())) seen.set(word.toLowerCase(), word);
  }
  return [...seen.values()];
}
