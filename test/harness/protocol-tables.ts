import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The client contract, as the project keeps it (word for word the shared one: test/docs/protocol-copy.spec.ts). */
export const PROTOCOL_PATH = join(__dirname, '..', '..', 'docs', 'protocol.md');

export interface HttpRoute {
  method: string;
  /** OpenAPI form: `/api/rooms/{id}/messages` (no query string). */
  path: string;
}

export interface ProtocolTables {
  http: HttpRoute[];
  clientToServer: string[];
  serverToClient: string[];
}

/** The rows of the markdown table whose header row starts with `| <firstHeader> |`: their first cells. */
function firstCells(markdown: string, firstHeader: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.replace(/\s+/g, ' ').startsWith(`| ${firstHeader} |`));
  if (start < 0) throw new Error(`no table headed "${firstHeader}" in protocol.md`);
  const cells: string[] = [];
  // Skip the header and the |---| line; the table ends at the first line not starting with `|`.
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    cells.push(line.split('|')[1].trim());
  }
  if (cells.length === 0) throw new Error(`the table headed "${firstHeader}" has no rows`);
  return cells;
}

/** Backticked spans of a cell: `` `GET /healthz`, `GET /readyz` [core] `` → ['GET /healthz', 'GET /readyz']. */
function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

/**
 * Every HTTP route (method + path) and every Socket.IO event the contract's tables name. Throws
 * when a table is missing or a row names nothing, so a change of layout fails loudly, not silently.
 */
export function parseProtocol(markdown = readFileSync(PROTOCOL_PATH, 'utf8')): ProtocolTables {
  const http = firstCells(markdown, 'call').flatMap((cell) => {
    const routes = codeSpans(cell).map((span) => {
      const m = /^(GET|POST|PUT|PATCH|DELETE) (\/\S*)$/.exec(span);
      if (!m) throw new Error(`not a route: "${span}"`);
      const path = m[2].split('?')[0].replace(/:([A-Za-z]+)/g, '{$1}');
      return { method: m[1], path };
    });
    if (routes.length === 0) throw new Error(`a row of the HTTP table names no route: "${cell}"`);
    return routes;
  });
  const events = (header: string) =>
    firstCells(markdown, header).map((cell) => {
      const [name, ...rest] = codeSpans(cell);
      if (!name || rest.length > 0) throw new Error(`a row of the "${header}" table names no single event: "${cell}"`);
      return name;
    });
  return { http, clientToServer: events('client → server'), serverToClient: events('server → client') };
}
