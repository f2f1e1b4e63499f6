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

  it('shows an edited message with editedAt in ISO UTC', () => {
    const view = toMessageView({ ...stored, body: 'new', editedAt: new Date('2026-01-02T04:00:00.000Z') });
    expect(view).toMatchObject({ body: 'new', editedAt: '2026-01-02T04:00:00.000Z' });
    expect(view.deleted).toBeUndefined();
  });

  it('shows a tombstone with an empty body and deleted, even if an edit wrote a body back', () => {
    const view = toMessageView({ ...stored, deleted: true, body: 'raced edit', editedAt: new Date() });
    expect(view).toMatchObject({ id: 'm-1', seq: 3, body: '', deleted: true });
    expect(view.editedAt).toBeUndefined();
  });
});
