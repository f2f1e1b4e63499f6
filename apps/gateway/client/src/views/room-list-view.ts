import type { RoomKind, RoomView } from '@app/contracts/views';
import { describeError } from '../api';
import { h, replaceChildren, uid } from '../dom';

export interface RoomListActions {
  open(roomId: string): void;
  create(name: string, kind: 'public' | 'private'): Promise<void>;
  direct(username: string): Promise<void>;
}

const GROUPS: { kind: RoomKind; title: string; marker: () => Node; empty: string }[] = [
  { kind: 'public', title: 'Public rooms', marker: () => document.createTextNode('#'), empty: 'No public rooms yet.' },
  { kind: 'private', title: 'Private rooms', marker: lockIcon, empty: 'No private rooms.' },
  {
    kind: 'direct',
    title: 'Direct chats',
    marker: () => document.createTextNode('@'),
    empty: 'No direct chats yet.',
  },
];

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A padlock drawn inline, so private rooms are marked without relying on an emoji font. */
function lockIcon(): Node {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '13');
  svg.setAttribute('height', '13');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute(
    'd',
    'M8 1a4 4 0 0 0-4 4v2H3a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h10a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-1V5a4 4 0 0 0-4-4zm-2.5 4a2.5 2.5 0 0 1 5 0v2h-5V5z',
  );
  svg.append(path);
  return svg;
}

/** The sidebar: rooms grouped by kind (each a button named by the room), plus the create and DM forms. */
export class RoomListView {
  readonly element: HTMLElement;
  private readonly lists: HTMLElement;

  constructor(private readonly actions: RoomListActions) {
    this.lists = h('div', { class: 'room-groups' });
    this.element = h('div', { class: 'room-list' }, this.lists, this.directForm(), this.createForm());
  }

  render(
    rooms: readonly RoomView[],
    activeId: string | undefined,
    unread: ReadonlyMap<string, number>,
    online: (room: RoomView) => boolean = () => false,
  ): void {
    const sections = GROUPS.map((group) => {
      const headingId = uid('rooms-heading');
      const mine = rooms.filter((r) => r.kind === group.kind).sort((a, b) => a.name.localeCompare(b.name));
      const items = mine.map((room) =>
        this.item(room, group.marker(), room.id === activeId, unread.get(room.id) ?? 0, online(room)),
      );
      return h(
        'section',
        { 'aria-labelledby': headingId },
        h('h2', { id: headingId }, group.title),
        items.length ? h('ul', {}, ...items) : h('p', { class: 'muted small' }, group.empty),
      );
    });
    // Re-rendering must not steal keyboard focus from the room button the user is on.
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.roomId;
    replaceChildren(this.lists, ...sections);
    if (focused) this.lists.querySelector<HTMLElement>(`[data-room-id="${CSS.escape(focused)}"]`)?.focus();
  }

  private item(room: RoomView, marker: Node, active: boolean, unread: number, online: boolean): HTMLElement {
    const countId = uid('unread');
    const onlineId = uid('online');
    const described = [unread ? countId : '', online ? onlineId : ''].filter(Boolean).join(' ');
    const button = h(
      'button',
      {
        type: 'button',
        class: 'room',
        'aria-current': active ? 'page' : undefined,
        'aria-describedby': described || undefined,
        'data-kind': room.kind,
        'data-room-id': room.id,
      },
      // The marker is decoration: the button's accessible name stays exactly the room's name.
      h('span', { class: 'marker', 'aria-hidden': 'true' }, marker),
      h('span', { class: 'room-name' }, room.name),
      online ? h('span', { class: 'presence-dot', 'aria-hidden': 'true', title: 'online' }) : null,
      unread ? h('span', { class: 'badge', 'aria-hidden': 'true' }, unread > 99 ? '99+' : String(unread)) : null,
    );
    button.addEventListener('click', () => this.actions.open(room.id));
    return h(
      'li',
      {},
      button,
      unread ? h('span', { id: countId, class: 'visually-hidden' }, `${unread} unread`) : null,
      online ? h('span', { id: onlineId, class: 'visually-hidden' }, 'online') : null,
    );
  }

  private createForm(): HTMLElement {
    const name = h('input', { id: 'new-room-name', required: true, maxlength: 80, autocomplete: 'off' });
    const kind = h(
      'select',
      { id: 'new-room-kind' },
      h('option', { value: 'public' }, 'Public'),
      h('option', { value: 'private' }, 'Private'),
    );
    const error = h('p', { class: 'form-error', role: 'alert' });
    const submit = h('button', { type: 'submit' }, 'Create room');
    const form = h(
      'form',
      { class: 'side-form', 'aria-labelledby': 'new-room-title' },
      h('h2', { id: 'new-room-title' }, 'New room'),
      h('label', { for: 'new-room-name' }, 'Room name'),
      name,
      h('label', { for: 'new-room-kind' }, 'Visibility'),
      h('div', { class: 'row' }, kind, submit),
      error,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = name.value.trim();
      if (!value) return name.focus();
      void this.busy(submit, error, async () => {
        await this.actions.create(value, kind.value === 'private' ? 'private' : 'public');
        name.value = '';
      });
    });
    return form;
  }

  private directForm(): HTMLElement {
    const username = h('input', {
      id: 'dm-username',
      required: true,
      maxlength: 32,
      autocomplete: 'off',
      autocapitalize: 'none',
      spellcheck: 'false',
      placeholder: 'username',
    });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const submit = h('button', { type: 'submit' }, 'Start chat');
    const form = h(
      'form',
      { class: 'side-form', 'aria-labelledby': 'dm-title' },
      h('h2', { id: 'dm-title' }, 'Direct chat'),
      h('label', { for: 'dm-username' }, 'Chat with'),
      h('div', { class: 'row' }, username, submit),
      error,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = username.value.trim();
      if (!value) return username.focus();
      void this.busy(submit, error, async () => {
        await this.actions.direct(value);
        username.value = '';
      });
    });
    return form;
  }

  private async busy(button: HTMLButtonElement, error: HTMLElement, work: () => Promise<void>): Promise<void> {
    button.disabled = true;
    error.textContent = '';
    try {
      await work();
    } catch (err) {
      error.textContent = describeError(err);
    } finally {
      button.disabled = false;
    }
  }
}
