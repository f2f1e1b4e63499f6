import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/** Whether a process of that id runs (one we may not signal runs too). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the index file for this process before SQLite opens it. node-sqlite3-wasm locks a database
 * with a directory beside it (`<file>.lock`), which a process killed with SIGKILL mid-write leaves
 * behind: every start after it failed with "database is locked", for ever. The file belongs to one
 * search instance (its name is in the file's), and `<file>.owner` records the process that opened it
 * last: when that process is gone (or is this one, as a container's restarted pid 1), its lock is
 * stale and removed; when it still runs, this start is refused rather than share the file.
 */
export function claimIndexFile(file: string): void {
  const ownerFile = `${file}.owner`;
  let owner: number | undefined;
  try {
    owner = Number.parseInt(readFileSync(ownerFile, 'utf8'), 10);
  } catch {
    owner = undefined;
  }
  if (owner !== undefined && Number.isInteger(owner) && owner > 0 && owner !== process.pid && running(owner)) {
    throw new Error(`the search index ${file} is open in process ${owner}: one instance per index file`);
  }
  rmSync(`${file}.lock`, { recursive: true, force: true });
  writeFileSync(ownerFile, String(process.pid));
}
