import { connect } from 'nats';

/**
 * Resolves once some instance answers requests on `subject` (any answer, an error included),
 * i.e. the service has subscribed; rejects after `timeoutMs`.
 */
export async function waitForResponder(natsUrl: string, subject: string, timeoutMs = 20000): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await nc.request(
          subject,
          new TextEncoder().encode(JSON.stringify({ pattern: subject, data: {}, id: 'probe' })),
          {
            timeout: 1000,
          },
        );
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`no responder on ${subject} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    await nc.close();
  }
}
