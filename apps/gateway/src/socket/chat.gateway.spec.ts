import { ClientEvent } from '@app/contracts';
import { MESSAGE_METADATA } from '@nestjs/websockets/constants';
import { ChatGateway } from './chat.gateway';

describe(ChatGateway.name, () => {
  it('handles every client → server event of the contract, and no other', () => {
    const proto = ChatGateway.prototype as unknown as Record<string, unknown>;
    const handled = Object.getOwnPropertyNames(proto)
      .map((name) => proto[name])
      .filter((member) => typeof member === 'function')
      .map((handler) => Reflect.getMetadata(MESSAGE_METADATA, handler) as string | undefined)
      .filter((event) => event !== undefined);
    expect(handled.sort()).toEqual(Object.values(ClientEvent).sort());
  });
});
