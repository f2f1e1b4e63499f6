import type { MessageView } from '@app/contracts/views';
import { h } from '../dom';
import { fullTime, shortTime } from '../format';
import { renderBody } from '../rich-text';
import type { PendingSend } from '../room-session';
import { renderAttachments } from './attachment-list';

/** What can be done to one's own messages. */
export interface MessageActions {
  edit(message: MessageView, item: HTMLLIElement): void;
  remove(message: MessageView): void;
}

/**
 * One stored message. The body is rendered as the markdown subset of rich-text.ts (no user text
 * becomes markup); mentions are marked, those of `me` (the reader's username) so they stand out.
 * With `actions` (our own message, not deleted) it carries small "Edit" and "Delete" buttons.
 */
export function renderMessage(
  message: MessageView,
  mine: boolean,
  actions?: MessageActions,
  me?: string,
): HTMLLIElement {
  const body = message.deleted
    ? h('div', { class: 'body deleted' }, 'message deleted')
    : h('div', { class: 'body rich' }, renderBody(message.body, message.mentions, me));
  const mentionsMe = !!me && (message.mentions ?? []).some((u) => u.username.toLowerCase() === me.toLowerCase());
  const attachments = message.deleted ? null : renderAttachments(message.attachments);
  const tools = h('span', { class: 'msg-actions' });
  const item = h(
    'li',
    {
      class: ['msg', mine ? 'mine' : '', mentionsMe && !mine ? 'mentions-me' : ''].filter(Boolean).join(' '),
      'data-seq': message.seq,
      'data-id': message.id,
    },
    h(
      'div',
      { class: 'meta' },
      h('span', { class: 'author' }, message.author.username),
      h('time', { datetime: message.createdAt, title: fullTime(message.createdAt) }, shortTime(message.createdAt)),
      message.editedAt && !message.deleted ? h('span', { class: 'muted small edited' }, '(edited)') : null,
      tools,
    ),
    body,
    attachments,
  );
  if (actions && mine && !message.deleted) {
    tools.append(
      button('Edit', () => actions.edit(message, item)),
      button('Delete', () => actions.remove(message)),
    );
  }
  return item;
}

/** Swaps a message's body for an inline editor; Enter or "Save" saves, Escape or "Cancel" gives up. */
export function renderEditor(
  message: MessageView,
  save: (body: string) => Promise<void>,
  cancel: () => void,
): HTMLFormElement {
  const input = h('textarea', { class: 'edit-input', rows: 2, maxlength: 4000, 'aria-label': 'Edit message' });
  input.value = message.body;
  const error = h('p', { class: 'form-error small', role: 'alert' });
  const saveButton = h('button', { type: 'submit', class: 'primary small' }, 'Save');
  const form = h('form', { class: 'edit-form' }, input, saveButton, button('Cancel', cancel), error);
  const submit = () => {
    const body = input.value;
    if (!body.trim()) return input.focus();
    saveButton.disabled = true;
    save(body).catch((err: unknown) => {
      saveButton.disabled = false;
      error.textContent = err instanceof Error ? err.message : 'Could not save.';
    });
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') cancel();
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  requestAnimationFrame(() => input.focus());
  return form;
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
    pending.attachments.length
      ? h('p', { class: 'muted small' }, `Attached: ${pending.attachments.map((a) => a.name).join(', ')}`)
      : null,
  );
}

function button(label: string, onClick: () => void): HTMLButtonElement {
  const el = h('button', { type: 'button', class: 'ghost small' }, label);
  el.addEventListener('click', onClick);
  return el;
}
