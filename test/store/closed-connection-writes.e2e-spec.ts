import { MongoClient } from 'mongodb';
import { endWritesOnClosedConnections } from '@app/mongo';
import { freshMongoUrl } from '../harness/infra';

jest.setTimeout(60_000);

/** The driver's internals this suite reaches: the monitor's connection of the one server. */
interface MonitorConnection {
  socket: { destroy(): void; destroyed: boolean };
  command(ns: unknown, cmd: object, options: object): Promise<unknown>;
}
interface Internals {
  topology: { s: { servers: Map<string, { monitor: { connection: MonitorConnection | null } }> } };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ns } = require('mongodb/lib/utils') as { ns(name: string): unknown };

const NOT_SETTLED = Symbol('not settled');
async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | Error | typeof NOT_SETTLED> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise.catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))),
      new Promise<typeof NOT_SETTLED>((r) => (timer = setTimeout(() => r(NOT_SETTLED), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A command written to a connection whose socket is already gone (destroyed, its 'close' not yet
 * emitted) — what the driver's monitor does when the server dies and the first failed operation has
 * it check the server at once. Against the real store: the driver alone never settles it (the
 * monitor hangs and the process never reconnects); with endWritesOnClosedConnections it fails
 * with a network error, and the monitor reconnects.
 */
describe('a command on a connection whose socket was just destroyed', () => {
  const clients: MongoClient[] = [];

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
  });

  /** A connected client (no heartbeat during the suite: its monitor's connection is the suite's). */
  async function connectedClient(): Promise<MongoClient> {
    const client = new MongoClient(freshMongoUrl('closedwrites'), { heartbeatFrequencyMS: 600_000 });
    clients.push(client);
    await client.connect();
    await client.db().command({ ping: 1 });
    return client;
  }

  async function commandOnDestroyedSocket(client: MongoClient): Promise<unknown> {
    const [server] = (client as unknown as Internals).topology.s.servers.values();
    for (let i = 0; i < 100 && !server.monitor.connection; i++) await new Promise((r) => setTimeout(r, 50));
    const connection = server.monitor.connection;
    if (!connection) throw new Error('the monitor has no connection');
    connection.socket.destroy();
    expect(connection.socket.destroyed).toBe(true);
    return settledWithin(connection.command(ns('admin.$cmd'), { ping: 1 }, {}), 2000);
  }

  // When this one fails, the driver is fixed: endWritesOnClosedConnections and this suite can go.
  it('never settles with the driver as it is (the reason for the fix)', async () => {
    expect(await commandOnDestroyedSocket(await connectedClient())).toBe(NOT_SETTLED);
  });

  it('fails with a network error once the fix is installed, and the client works on', async () => {
    expect(endWritesOnClosedConnections()).toBe(true);
    expect(endWritesOnClosedConnections()).toBe(true); // idempotent
    const client = await connectedClient();
    const outcome = await commandOnDestroyedSocket(client);
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).name).toBe('MongoNetworkError');
    expect(await client.db().command({ ping: 1 })).toMatchObject({ ok: 1 });
  });
});
