import type { MessageView, RoomView, UserView } from '@app/contracts/views';
import { api, describeError } from '../api';
import { h, replaceChildren } from '../dom';
import type { RoomSession, RoomSessionListener } from '../room-session';
import { isMuted, setMuted } from '../mute';
import { typingText } from '../typing';
import { Composer } from './composer';
import { renderEditor, renderMessage, renderPending } from './message-item';

export interface ChatViewActions {
  leave(room: RoomView): Promise<void>;
  addMember(room: RoomView, username: string): Promise<void>;
  /** The room was muted or unmuted (the title's count changes). */
  muteChanged(): void;
}

/** What the view shows about other people: who types here, and whether a direct chat's peer is online. */
export interface ChatViewPeers {
  typingNames(roomId: string): string[];
  isOnline(room: RoomView): boolean;
}

const KIND_TEXT = { public: 'Public room', private: 'Private room', direct: 'Direct chat' } as const;
const NEAR_BOTTOM_PX = 120;
const NEAR_TOP_PX = 80;

/** The open room: header, history (paged back on scroll), unsent messages and the composer. */
export class ChatView implements RoomSessionListener {
  readonly element: HTMLElement;
  private readonly title = h('h1', { id: 'room-title', class: 'room-title' });
  private readonly meta = h('p', { class: 'room-meta muted' });
  private readonly status = h('p', { class: 'room-status', role: 'status' });
  private readonly scroller: HTMLElement;
  private readonly list = h('ol', { class: 'messages' });
  private readonly pendingList = h('ol', { class: 'messages pending-list' });
  private readonly olderButton = h('button', { type: 'button', class: 'ghost older' }, 'Load older messages');
  private readonly composer: Composer;
  private readonly headerActions = h('div', { class: 'room-actions' });
  // Polite: announced when the reader pauses, never interrupting; emptied when nobody types.
  private readonly typingLine = h('p', { class: 'typing-line muted', 'aria-live': 'polite' });
  private notice: { text: string; error: boolean } | undefined;
  private readonly firstUnread: number | undefined;

  constructor(
    private readonly session: RoomSession,
    private readonly me: UserView,
    private readonly actions: ChatViewActions,
    private readonly peers: ChatViewPeers,
    /** The first seq unread when the room opened ("New messages" goes before it), if any. */
    firstUnread?: number,
  ) {
    this.composer = new Composer(session, async () => (await api.room(session.room.id)).members);
    this.firstUnread = firstUnread;
    this.olderButton.addEventListener('click', () => void this.session.loadOlder());
    this.scroller = h(
      'div',
      { class: 'scroller', role: 'log', 'aria-label': 'Conversation', tabindex: '0' },
      this.olderButton,
      this.list,
      this.pendingList,
    );
    this.scroller.addEventListener('scroll', () => {
      if (this.scroller.scrollTop < NEAR_TOP_PX) void this.session.loadOlder();
    });
    this.element = h(
      'section',
      { class: 'chat' },
      h('header', { class: 'room-header' }, h('div', {}, this.title, this.meta), this.headerActions),
      this.status,
      this.scroller,
      this.typingLine,
      this.composer.element,
    );
    this.renderHeader();
    this.renderActions();
    this.list.append(...session.timeline.sorted().map((m) => this.renderOne(m)));
    this.markDays();
    this.pendingChanged();
    this.statusChanged();
    session.attach(this);
    requestAnimationFrame(() => this.scrollToBottom());
    this.scroller.addEventListener('scroll', () => this.markSeen());
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  focusComposer(): void {
    this.composer.focus();
  }

  destroy(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.composer.stop();
    this.session.attach(undefined);
  }

  typingChanged(): void {
    this.typingLine.textContent = typingText(this.peers.typingNames(this.session.room.id));
  }

  roomChanged(): void {
    this.renderHeader();
  }

  added(messages: MessageView[], older: boolean): void {
    const stick = this.nearBottom();
    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    for (const message of messages) this.insert(message);
    this.markDays();
    this.statusChanged();
    if (older) {
      // Keep the reader's place when older messages are prepended.
      this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
    } else if (stick || messages.some((m) => m.author.id === this.me.id)) {
      this.scrollToBottom();
    }
    this.markSeen();
  }

  /** Scrolls to the message at `seq` and marks it, paging back (at most 50 pages) until it is loaded. */
  async reveal(seq: number): Promise<void> {
    for (let page = 0; page < 50; page++) {
      const item = this.list.querySelector<HTMLElement>(`li[data-seq="${seq}"]`);
      if (item) {
        item.classList.add('found');
        item.scrollIntoView({ block: 'center' });
        return;
      }
      const oldest = this.session.timeline.oldestSeq;
      if (!this.session.timeline.hasOlder || oldest === undefined || oldest <= seq) return;
      await this.session.loadOlder();
    }
  }

  /** An edit or delete of a message on screen: redrawn in place (an open editor of it closes). */
  changed(message: MessageView): void {
    this.insert(message);
    this.markDays();
  }

  /**
   * A separator with the date before the first message of each day (in the reader's time zone),
   * and "New messages" before the first one that was unread when the room opened.
   */
  private markDays(): void {
    for (const el of this.list.querySelectorAll(':scope > li.separator')) el.remove();
    let lastDay = '';
    let marked = false;
    for (const el of Array.from(this.list.children) as HTMLElement[]) {
      const iso = el.querySelector('time')?.getAttribute('datetime');
      const seq = Number(el.dataset.seq);
      if (!iso) continue;
      const day = dayOf(iso);
      if (day !== lastDay) {
        el.before(h('li', { class: 'separator day', role: 'separator' }, day));
        lastDay = day;
      }
      if (!marked && this.firstUnread !== undefined && seq >= this.firstUnread) {
        el.before(h('li', { class: 'separator new', role: 'separator' }, 'New messages'));
        marked = true;
      }
    }
  }

  pendingChanged(): void {
    const stick = this.nearBottom();
    replaceChildren(
      this.pendingList,
      ...this.session.pending.map((p) =>
        renderPending(p, this.me.username, {
          retry: (id) => this.session.retry(id),
          discard: (id) => this.session.discard(id),
        }),
      ),
    );
    if (stick) this.scrollToBottom();
  }

  statusChanged(): void {
    const s = this.session;
    this.olderButton.hidden = !s.timeline.hasOlder;
    this.olderButton.disabled = s.loadingOlder;
    this.olderButton.textContent = s.loadingOlder ? 'Loading…' : 'Load older messages';
    let text = '';
    if (s.error) text = s.error;
    else if (this.notice) text = this.notice.text;
    else if (s.loadingNewest) text = 'Loading messages…';
    else if (s.loaded && s.timeline.size === 0) text = 'No messages yet. Say hello!';
    this.status.textContent = text;
    this.status.classList.toggle('error', Boolean(s.error) || Boolean(this.notice?.error));
  }

  /** The outcome of a header action; it stays until the next one, whatever the history does meanwhile. */
  private showNotice(text: string, error = false): void {
    this.notice = { text, error };
    this.statusChanged();
  }

  /** Inserts in seq order; a seq already shown is replaced, never duplicated. */
  private insert(message: MessageView): void {
    const node = this.renderOne(message);
    const existing = this.list.querySelector(`li[data-seq="${message.seq}"]`);
    if (existing) return existing.replaceWith(node);
    let next: Element | null = null;
    for (let el = this.list.lastElementChild; el; el = el.previousElementSibling) {
      if (Number((el as HTMLElement).dataset.seq) < message.seq) break;
      next = el;
    }
    this.list.insertBefore(node, next);
  }

  private renderOne(message: MessageView): HTMLLIElement {
    return renderMessage(
      message,
      message.author.id === this.me.id,
      {
        edit: (m, item) => this.openEditor(m, item),
        remove: (m) => void this.session.remove(m).catch((err: unknown) => this.showNotice(describeError(err), true)),
      },
      this.me.username,
    );
  }

  private openEditor(message: MessageView, item: HTMLLIElement): void {
    const body = item.querySelector('.body');
    if (!body) return;
    const restore = () => editor.replaceWith(body);
    const editor = renderEditor(
      message,
      async (text) => {
        await this.session.edit(message, text);
        if (editor.isConnected) restore();
      },
      restore,
    );
    body.replaceWith(editor);
  }

  /** What the reader has on screen is read: the newest stored message, when the tab is visible and at the bottom. */
  private markSeen(): void {
    if (document.visibilityState !== 'visible' || !this.nearBottom()) return;
    const newest = this.session.timeline.sorted().at(-1);
    if (newest) this.session.markRead(newest.seq);
  }

  private readonly onVisibility = (): void => this.markSeen();

  /** Title and counts only: the action forms stay put, so text being typed there survives updates. */
  private renderHeader(): void {
    const room = this.session.room;
    this.title.textContent = room.name;
    if (room.kind === 'direct') {
      const online = this.peers.isOnline(room);
      replaceChildren(
        this.meta,
        h('span', { class: online ? 'presence-dot' : 'presence-dot off', 'aria-hidden': 'true' }),
        `${KIND_TEXT.direct} · ${online ? 'online' : 'offline'}`,
      );
      return;
    }
    const members = room.memberCount === 1 ? '1 member' : `${room.memberCount} members`;
    this.meta.textContent = `${KIND_TEXT[room.kind]} · ${members}`;
  }

  private renderActions(): void {
    const room = this.session.room;
    const items: Node[] = [];
    if (room.kind === 'private') items.push(this.addMemberForm(room));
    const mute = h('button', { type: 'button', class: 'ghost', 'aria-pressed': String(isMuted(room.id)) }, 'Mute');
    mute.addEventListener('click', () => {
      const muted = !isMuted(room.id);
      setMuted(room.id, muted);
      mute.setAttribute('aria-pressed', String(muted));
      this.actions.muteChanged();
    });
    items.push(mute);
    if (room.kind !== 'direct') {
      const leave = h('button', { type: 'button', class: 'ghost' }, 'Leave room');
      leave.addEventListener('click', () => {
        leave.disabled = true;
        this.actions.leave(room).catch((err: unknown) => {
          leave.disabled = false;
          this.showNotice(describeError(err), true);
        });
      });
      items.push(leave);
    }
    replaceChildren(this.headerActions, ...items);
  }

  private addMemberForm(room: RoomView): HTMLElement {
    const input = h('input', {
      id: 'add-member-username',
      placeholder: 'Add member…',
      autocomplete: 'off',
      autocapitalize: 'none',
      maxlength: 32,
    });
    const submit = h('button', { type: 'submit', class: 'ghost' }, 'Add');
    const form = h(
      'form',
      { class: 'add-member' },
      h('label', { for: 'add-member-username', class: 'visually-hidden' }, 'Add member'),
      input,
      submit,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const username = input.value.trim();
      if (!username) return input.focus();
      submit.disabled = true;
      this.actions
        .addMember(room, username)
        .then(() => {
          input.value = '';
          this.showNotice(`${username} was added.`);
        })
        .catch((err: unknown) => this.showNotice(describeError(err), true))
        .finally(() => (submit.disabled = false));
    });
    return form;
  }

  private nearBottom(): boolean {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM_PX;
  }

  private scrollToBottom(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}

const dayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
});

function dayOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : dayFormat.format(date);
}
