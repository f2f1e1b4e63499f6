import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { infra } from './infra';

/**
 * Starts one real nats-server and one FerretDB for the whole run (unless TEST_NATS_URL /
 * TEST_MONGO_URL already point at running servers). Workers inherit the URLs through the
 * environment; each suite then takes a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_NATS_URL && process.env.TEST_MONGO_URL) return;
  const dir = mkdtempSync(join(tmpdir(), 'chat-test-'));
  const started = await infra.start(dir);
  process.env.TEST_NATS_URL = started.natsUrl;
  process.env.TEST_MONGO_URL = started.mongoUrl;
  process.env.TEST_TMP_DIR = dir;
  (globalThis as Record<string, unknown>).__CHAT_INFRA__ = started;
}
