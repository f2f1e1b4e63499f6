import { toMessageView } from './message-view';
import { Message } from './message.schema';

describe(toMessageView.name, () => {
  const stored: Message = {
    _id: 'm-1',
    roomId: 'r-1',
    seq: 3,
    author: { id: 'u-1', username: 'alice' },
    body: '  <b>hi</b> ',
    clientMsgId: 'c-1',
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
  };

  it('maps a stored message to the contract shape, body as stored and time in ISO UTC', () => {
    expect(toMessageView(stored)).toEqual({
      id: 'm-1',
      roomId: 'r-1',
      seq: 3,
      author: { id: 'u-1', username: 'alice' },
      body: '  <b>hi</b> ',
      attachments: [],
      clientMsgId: 'c-1',
      createdAt: '2026-01-02T03:04:05.678Z',
    });
  });

  it('leaves out whatever else the stored author carries', () => {
    const author = { id: 'u-1', username: 'alice', passwordHash: 'x' } as Message['author'];
    expect(toMessageView({ ...stored, author }).author).toEqual({ id: 'u-1', username: 'alice' });
  });
});
