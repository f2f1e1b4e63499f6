import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SearchIndex } from './search-index';

/** A process id that ran and is gone. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

describe('the index file, as a SIGKILL left it', () => {
  const fileIn = () => join(mkdtempSync(join(tmpdir(), 'search-claim-')), 'i.sqlite');

  it("opens and writes after a dead process's lock is left beside it", async () => {
    const file = fileIn();
    new SearchIndex(file).close();
    mkdirSync(`${file}.lock`); // what node-sqlite3-wasm leaves when killed holding its lock
    writeFileSync(`${file}.owner`, String(await deadPid()));
    const index = new SearchIndex(file);
    try {
      index.setMeta('after', 'the kill');
      expect(index.meta('after')).toBe('the kill');
    } finally {
      index.close();
    }
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('refuses a file another running process has open, and leaves its lock', async () => {
    const file = fileIn();
    new SearchIndex(file).close();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await once(other, 'spawn');
      mkdirSync(`${file}.lock`);
      writeFileSync(`${file}.owner`, String(other.pid));
      expect(() => new SearchIndex(file)).toThrow(/open in process/);
      expect(existsSync(`${file}.lock`)).toBe(true);
    } finally {
      other.kill('SIGKILL');
    }
  });
});
