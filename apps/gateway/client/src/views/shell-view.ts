import type { UserView } from '@app/contracts/views';
import { h, replaceChildren } from '../dom';
import type { ConnectionState } from '../socket';

const STATE_TEXT: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
};

/** The signed-in layout: banner (connection, user, log out), the room list and the main area. */
export class ShellView {
  readonly element: HTMLElement;
  readonly sidebar: HTMLElement;
  readonly main: HTMLElement;
  private readonly status: HTMLElement;
  private readonly flashBox: HTMLElement;
  private readonly roomsToggle: HTMLButtonElement;

  constructor(me: UserView, actions: { logout(): void; search(q: string): void }) {
    this.roomsToggle = h(
      'button',
      { type: 'button', class: 'rooms-toggle', 'aria-controls': 'sidebar', 'aria-expanded': 'false' },
      'Rooms',
    );
    this.roomsToggle.addEventListener('click', () => this.setSidebarOpen(!this.sidebarOpen));
    this.status = h('span', { class: 'conn', role: 'status', 'data-state': 'connecting' }, STATE_TEXT.connecting);
    const logout = h('button', { type: 'button', class: 'ghost' }, 'Log out');
    logout.addEventListener('click', () => actions.logout());
    this.flashBox = h('div', { class: 'flash', role: 'alert', hidden: true });
    const query = h('input', {
      type: 'search',
      name: 'q',
      'aria-label': 'Search messages',
      placeholder: 'Search messages',
      maxlength: 200,
      autocomplete: 'off',
    });
    const searchForm = h('form', { class: 'search', role: 'search' }, query);
    searchForm.addEventListener('submit', (e) => {
      e.preventDefault();
      if (query.value.trim()) actions.search(query.value.trim());
    });

    const header = h(
      'header',
      { class: 'topbar' },
      this.roomsToggle,
      h('p', { class: 'brand' }, 'Chat'),
      searchForm,
      this.status,
      h(
        'span',
        { class: 'me', title: 'Signed in as' },
        h('span', { class: 'visually-hidden' }, 'Signed in as '),
        me.username,
      ),
      logout,
    );
    this.sidebar = h('nav', { class: 'sidebar', id: 'sidebar', 'aria-label': 'Rooms' });
    this.main = h('main', { class: 'main', id: 'main', tabindex: '-1' });
    this.element = h(
      'div',
      { class: 'shell' },
      header,
      this.flashBox,
      h('div', { class: 'layout' }, this.sidebar, this.main),
    );
    this.setSidebarOpen(true);
  }

  setConnection(state: ConnectionState): void {
    this.status.dataset.state = state;
    this.status.textContent = STATE_TEXT[state];
  }

  setMain(...content: Node[]): void {
    replaceChildren(this.main, ...content);
  }

  /** On narrow screens the room list is a drawer; on wide screens it is always shown (CSS). */
  setSidebarOpen(open: boolean): void {
    this.element.classList.toggle('sidebar-open', open);
    this.roomsToggle.setAttribute('aria-expanded', String(open));
  }

  get sidebarOpen(): boolean {
    return this.element.classList.contains('sidebar-open');
  }

  clearFlash(): void {
    this.flashBox.hidden = true;
  }

  /** A dismissable notice for errors that belong to no form. */
  flash(text: string): void {
    const close = h('button', { type: 'button', class: 'ghost small', 'aria-label': 'Dismiss' }, '×');
    close.addEventListener('click', () => (this.flashBox.hidden = true));
    replaceChildren(this.flashBox, h('span', {}, text), close);
    this.flashBox.hidden = false;
  }
}
