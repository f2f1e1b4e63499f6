import { loggableUrl } from './access-log';
import { createNestLogger } from './nest-logger';
import { currentRequestId, requestIdFrom, withRequestId } from './request-context';
import { createRootLogger } from './root-logger';

function capture(format: 'json' | 'text') {
  const lines: string[] = [];
  const sut = createRootLogger(
    'spec',
    { LOG_LEVEL: 'info', LOG_FORMAT: format, INSTANCE_NAME: 'spec-0' },
    {
      write: (line: string) => lines.push(line),
    },
  );
  return { sut, lines };
}

describe(createRootLogger.name, () => {
  it('writes JSON lines naming the service and instance, with no password or token in them', () => {
    const { sut, lines } = capture('json');
    sut.info(
      { password: 'p4ss', token: 't0ken', login: { password: 'p4ss2' }, reply: { session: { token: 't2' } } },
      'x',
    );
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({ service: 'spec', instance: 'spec-0', msg: 'x', password: '[redacted]' });
    expect(lines[0]).not.toMatch(/p4ss|t0ken|t2/);
  });

  it("binds the request id to every line Nest's loggers write inside the request, and only there", async () => {
    const { sut, lines } = capture('json');
    const nest = createNestLogger(sut);
    await withRequestId('req-1', async () => {
      expect(currentRequestId()).toBe('req-1');
      nest.log('before', 'Spec');
      await new Promise((resolve) => setImmediate(resolve));
      nest.warn({ msg: 'after a turn' }, 'Spec');
    });
    nest.log('outside', 'Spec');
    expect(currentRequestId()).toBeUndefined();
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ msg: 'before', reqId: 'req-1', context: 'Spec' }),
      expect.objectContaining({ msg: 'after a turn', reqId: 'req-1' }),
      expect.not.objectContaining({ reqId: expect.anything() }),
    ]);
  });

  it('writes one line of text per entry when LOG_FORMAT=text', () => {
    const { sut, lines } = capture('text');
    sut.warn({ subject: 'chat.x.v1', token: 'secret' }, 'slow');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/WARN.*slow/);
    expect(lines[0]).toContain('chat.x.v1');
    expect(lines[0]).not.toContain('secret');
    expect(lines[0].trimEnd().split('\n')).toHaveLength(1);
  });
});

describe(requestIdFrom.name, () => {
  it('takes a sane client id and mints one for anything else', () => {
    expect(requestIdFrom('abc-123_x.y:z')).toBe('abc-123_x.y:z');
    for (const bad of [undefined, '', 'a b', 'x"}', 'a'.repeat(129), ['a']]) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe(loggableUrl.name, () => {
  it('replaces the values of secret query parameters', () => {
    expect(loggableUrl('/api/rooms')).toBe('/api/rooms');
    expect(loggableUrl('/a?token=abc&q=x&Password=p')).toBe('/a?token=%5Bredacted%5D&q=x&Password=%5Bredacted%5D');
  });
});
