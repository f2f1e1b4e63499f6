import { ServerNats } from '@nestjs/microservices';
import { RequestServer } from './nats-server';

/** The route each server gives a pattern (Nest's method is protected). */
const routeOf = (server: ServerNats, pattern: string): string =>
  (server as unknown as { getRouteFromPattern(p: string): string }).getRouteFromPattern(pattern);

describe('RequestServer routes', () => {
  const ours = new RequestServer({ servers: ['nats://127.0.0.1:1'] });
  const nest = new ServerNats({ servers: ['nats://127.0.0.1:1'] });

  it.each([
    'chat.message.send.v1',
    'chat.message.send.v1.at.5f2c8a52-8a0e-4a43-9f39-3a1f0c2f2b7e',
    'auth.session.verify.v1',
    'trueish',
    'true',
    'null',
    '42',
    '"quoted"',
    '{"cmd":"sum","b":1,"a":2}',
    '[1,2]',
    '{not json',
    '',
  ])('routes %j as Nest does', (pattern) => {
    expect(routeOf(ours, pattern)).toEqual(routeOf(nest, pattern));
  });

  it('routes a plain subject without trying to parse it as JSON', () => {
    const parse = jest.spyOn(JSON, 'parse');
    try {
      expect(routeOf(ours, 'chat.message.send-many.v1')).toBe('chat.message.send-many.v1');
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });
});
