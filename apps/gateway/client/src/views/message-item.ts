import type { MessageView } from '@app/contracts/views';
import { h } from '../dom';
import { fileSize, fullTime, shortTime } from '../format';
import type { PendingSend } from '../room-session';

/** One stored message. Every user-supplied string goes in as text, never as markup. */
export function renderMessage(message: MessageView, mine: boolean): HTMLLIElement {
  const body = message.deleted
    ? h('p', { class: 'body deleted' }, 'This message was deleted.')
    : h('p', { class: 'body' }, message.body);
  const attachments = message.attachments?.length
    ? h(
        'ul',
        { class: 'attachments' },
        ...message.attachments.map((a) =>
          h('li', {}, h('a', { href: a.url, download: a.name }, a.name), ` (${fileSize(a.size)})`),
        ),
      )
    : null;
  return h(
    'li',
    { class: mine ? 'msg mine' : 'msg', 'data-seq': message.seq, 'data-id': message.id },
    h(
      'div',
      { class: 'meta' },
      h('span', { class: 'author' }, message.author.username),
      h('time', { datetime: message.createdAt, title: fullTime(message.createdAt) }, shortTime(message.createdAt)),
      message.editedAt ? h('span', { class: 'muted small' }, '(edited)') : null,
    ),
    body,
    attachments,
  );
}

const PENDING_TEXT: Record<PendingSend['state'], string> = {
  queued: 'Waiting for connection…',
  sending: 'Sending…',
  failed: 'Not sent.',
};

/** A message typed here that the server has not acknowledged yet. */
export function renderPending(
  pending: PendingSend,
  username: string,
  actions: { retry(id: string): void; discard(id: string): void },
): HTMLLIElement {
  const status = h(
    'span',
    { class: 'pending-state' },
    PENDING_TEXT[pending.state],
    pending.error ? ` ${pending.error}` : '',
  );
  const controls =
    pending.state === 'failed'
      ? h(
          'span',
          { class: 'pending-actions' },
          button('Retry', () => actions.retry(pending.clientMsgId)),
          button('Discard', () => actions.discard(pending.clientMsgId)),
        )
      : null;
  return h(
    'li',
    { class: `msg mine pending ${pending.state}`, 'data-client-msg-id': pending.clientMsgId },
    h('div', { class: 'meta' }, h('span', { class: 'author' }, username), status, controls),
    h('p', { class: 'body' }, pending.body),
  );
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const el = h('button', { type: 'button', class: 'ghost small' }, label);
  el.addEventListener('click', onClick);
  return el;
}
