import { spawn } from 'node:child_process';
import { join } from 'node:path';

jest.setTimeout(600_000);

interface FaultResult {
  fault: string;
  sent: number;
  acked: number;
  unacked: number;
  join_failures: number;
  lost: number;
  duplicates: number;
  store_gaps: number;
  client_gaps: number;
  socket_duplicates: number;
  ack_p99_ms: number;
}

/** Runs the chaos script (scripts/bench/chaos.mjs) and returns its results, one per fault. */
function chaos(args: string[]): Promise<FaultResult[]> {
  const root = join(__dirname, '..', '..');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'scripts', 'bench', 'chaos.mjs'), '--json', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`chaos exited ${code}: ${err.slice(-3000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as FaultResult[]);
      } catch (e) {
        reject(new Error(`chaos printed no result: ${String(e)}\n${out}\n${err.slice(-3000)}`));
      }
    });
  });
}

// Recovery from any single fault (the short run; `npm run chaos` is the long one): a process killed
// with SIGKILL mid-traffic and restarted, clients reconnecting, re-joining with afterSeq and retrying
// unacked sends with the same clientMsgId. Correctness is asserted; the latencies are printed, not
// asserted (they are the benchmark's to judge).
describe('recovery from a SIGKILL of each process, mid-traffic', () => {
  let results: FaultResult[];

  beforeAll(async () => {
    results = await chaos(['--no-build', '--duration', '9', '--clients', '60']);
    process.stderr.write(`chaos:\n${results.map((r) => JSON.stringify(r)).join('\n')}\n`);
  });

  it.each(['gateway', 'message', 'auth', 'nats', 'store'])(
    '%s: every send acked, nothing lost or stored twice, no gap in the store or in any client, no join refused',
    (fault) => expectRecovered(results, fault),
  );
});

// Two message-service instances (as deployed with replicas), each writing its own rooms
// (RoomWriters): one is killed; the survivor writes the dead one's rooms, sends it had been handed
// are retried, and the restarted one takes its rooms back.
describe('recovery from a SIGKILL of one of two message-service instances', () => {
  let results: FaultResult[];

  beforeAll(async () => {
    results = await chaos([
      '--no-build',
      '--duration',
      '9',
      '--clients',
      '60',
      '--faults',
      'message',
      '--message-instances',
      '2',
    ]);
    process.stderr.write(`chaos, 2 message instances:\n${results.map((r) => JSON.stringify(r)).join('\n')}\n`);
  });

  it('every send acked, nothing lost or stored twice, no gap in the store or in any client, no join refused', () =>
    expectRecovered(results, 'message'));
});

function expectRecovered(results: FaultResult[], fault: string): void {
  const r = results.find((x) => x.fault === fault);
  expect(r).toBeDefined();
  expect(r!.sent).toBeGreaterThan(0);
  expect({
    unacked: r!.unacked,
    acked: r!.acked,
    lost: r!.lost,
    duplicates: r!.duplicates,
    store_gaps: r!.store_gaps,
    client_gaps: r!.client_gaps,
    socket_duplicates: r!.socket_duplicates,
    join_failures: r!.join_failures,
  }).toEqual({
    unacked: 0,
    acked: r!.sent,
    lost: 0,
    duplicates: 0,
    store_gaps: 0,
    client_gaps: 0,
    socket_duplicates: 0,
    join_failures: 0,
  });
}
