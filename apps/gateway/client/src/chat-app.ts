import { isMuted } from './mute';
import { Notifier } from './notifier';
import type { RoomMemberEvent, RoomReadEvent, UserPresenceEvent } from '@app/contracts/socket';
import type { MessageView, RoomView, UserView } from '@app/contracts/views';
import { api, ApiError, describeError, setUnauthorizedHandler } from './api';
import { h } from './dom';
import { PresenceBook } from './presence';
import { RoomSession } from './room-session';
import { ChatSocket } from './socket';
import { TypingRoster } from './typing';
import { ChatView } from './views/chat-view';
import { RoomListView } from './views/room-list-view';
import { SearchResultsView } from './views/search-results-view';
import { ShellView } from './views/shell-view';

const ROOM_HASH = '#room=';

/**
 * The signed-in application: one socket, the room list, one RoomSession per room opened in this
 * tab (kept, so switching back is instant and unsent messages keep trying) and the open room's view.
 */
export class ChatApp {
  private readonly shell: ShellView;
  private readonly roomList: RoomListView;
  private readonly socket: ChatSocket;
  private rooms: RoomView[] = [];
  private readonly sessions = new Map<string, RoomSession>();
  private readonly unread = new Map<string, number>();
  /** A search result to show once its room is open. */
  private reveal?: { roomId: string; seq: number };
  /** Browser notifications while the tab is hidden: a DM, or a mention of us; a click opens the room. */
  private readonly notifier = new Notifier((roomId) => this.navigate(roomId));
  private active: RoomSession | undefined;
  private chatView: ChatView | undefined;
  private everConnected = false;
  private ended = false;
  private loggingOut = false;
  private roomsRefresh: ReturnType<typeof setTimeout> | undefined;
  private readonly presence = new PresenceBook();
  private readonly typing = new TypingRoster((roomId) => {
    if (this.active?.room.id === roomId) this.chatView?.typingChanged();
  });

  constructor(
    root: HTMLElement,
    private readonly me: UserView,
    token: string | undefined,
    private readonly signedOut: (notice: string) => void,
  ) {
    this.shell = new ShellView(me, { logout: () => void this.logout(), search: (q) => void this.showSearch(q) });
    this.roomList = new RoomListView({
      open: (roomId) => this.navigate(roomId),
      create: (name, kind) => this.createRoom(name, kind),
      direct: (username) => this.openDirect(username),
    });
    this.shell.sidebar.append(this.roomList.element);
    root.replaceChildren(this.shell.element);
    this.showPlaceholder();

    setUnauthorizedHandler(() => this.sessionEnded());
    window.addEventListener('hashchange', this.onHashChange);
    // Browsers ask for the notification permission only from a user gesture: the first click.
    document.addEventListener('click', () => Notifier.request(), { once: true });
    this.socket = new ChatSocket(token, {
      state: (state) => this.shell.setConnection(state),
      connected: () => this.onConnected(),
      signedOut: () => this.sessionEnded(),
      messageNew: (message) => this.onMessage(message),
      messageUpdated: (message) => this.sessions.get(message.roomId)?.receiveUpdate(message),
      messageDeleted: (event) => this.sessions.get(event.roomId)?.receiveDelete(event.seq),
      roomRead: (event) => this.onRead(event),
      roomMember: (event) => this.onMember(event),
      roomAdded: (room) => this.upsertRoom(room),
      roomRemoved: (roomId) => this.onRoomRemoved(roomId),
      typing: (event) => {
        if (event.user.id !== this.me.id) this.typing.apply(event);
      },
      presence: (event) => this.onPresence(event),
      mention: (event) => {
        if (!isMuted(event.roomId)) this.notifier.notify(event.message, this.roomName(event.roomId), true);
      },
    });
    void this.loadRooms().then(() => this.onHashChange());
  }

  private async logout(): Promise<void> {
    this.loggingOut = true;
    try {
      await api.logout();
    } catch (err) {
      // 401: the session was already gone, which is what the user asked for.
      if (!(err instanceof ApiError && err.status === 401)) {
        this.loggingOut = false;
        return this.shell.flash(describeError(err));
      }
    }
    this.end('You have logged out.');
  }

  /** The server ended the session (revocation, expiry); during our own logout that is the expected echo. */
  private sessionEnded(): void {
    this.end(this.loggingOut ? 'You have logged out.' : 'Your session has ended. Please log in again.');
  }

  private end(notice: string): void {
    if (this.ended) return;
    this.ended = true;
    this.socket.close();
    this.chatView?.destroy();
    setUnauthorizedHandler(undefined);
    window.removeEventListener('hashchange', this.onHashChange);
    clearTimeout(this.roomsRefresh);
    history.replaceState(null, '', location.pathname + location.search);
    this.signedOut(notice);
  }

  private async loadRooms(): Promise<void> {
    try {
      const { rooms } = await api.rooms();
      this.rooms = rooms;
      this.shell.clearFlash();
      for (const room of rooms) {
        if (room.unread && !this.unread.has(room.id) && room.id !== this.active?.room.id) {
          this.unread.set(room.id, room.unread);
        }
      }
      this.renderRooms();
      void this.refreshPresence(this.directRoomIds());
    } catch (err) {
      if (!this.ended) this.shell.flash(`Could not load rooms: ${describeError(err)}`);
    }
  }

  /** Room membership changes come in bursts: one list reload for a burst. */
  private reloadRoomsSoon(): void {
    clearTimeout(this.roomsRefresh);
    this.roomsRefresh = setTimeout(() => void this.loadRooms(), 300);
  }

  private roomName(roomId: string): string {
    return this.rooms.find((r) => r.id === roomId)?.name ?? 'a room';
  }

  private renderRooms(): void {
    this.roomList.render(this.rooms, this.active?.room.id, this.unread, (room) => this.isOnline(room));
    this.showTitle();
  }

  /** The page title: the open room (or "Chat"), after the total unread count, e.g. "(3) Chat". */
  private showTitle(): void {
    const base = this.active ? `${this.active.room.name} – Chat` : 'Chat';
    let total = 0;
    for (const [roomId, n] of this.unread) if (!isMuted(roomId)) total += n;
    document.title = total > 0 ? `(${total > 999 ? '999+' : total}) ${base}` : base;
  }

  /** Only direct rooms show presence: the other member is the room's name. */
  private isOnline(room: RoomView): boolean {
    return room.kind === 'direct' && this.presence.isOnlineByName(room.name);
  }

  private directRoomIds(): string[] {
    return this.rooms.filter((r) => r.kind === 'direct').map((r) => r.id);
  }

  /** `presence` events tell changes only: who is online already is asked per room on screen. */
  private async refreshPresence(roomIds: string[]): Promise<void> {
    if (!this.socket.connected || roomIds.length === 0) return;
    const replies = await Promise.allSettled(roomIds.map((roomId) => this.socket.request('presence:list', { roomId })));
    for (const reply of replies) if (reply.status === 'fulfilled') this.presence.addAll(reply.value.users);
    this.onPresenceChanged();
  }

  private onPresence(event: UserPresenceEvent): void {
    this.presence.apply(event);
    this.onPresenceChanged();
  }

  private onPresenceChanged(): void {
    if (this.ended) return;
    this.renderRooms();
    this.chatView?.roomChanged();
  }

  private upsertRoom(room: RoomView): void {
    const index = this.rooms.findIndex((r) => r.id === room.id);
    if (index >= 0) this.rooms[index] = { ...this.rooms[index], ...room };
    else this.rooms.push(room);
    this.renderRooms();
    if (this.active?.room.id === room.id) this.chatView?.roomChanged();
  }

  private async createRoom(name: string, kind: 'public' | 'private'): Promise<void> {
    const { room } = await api.createRoom(name, kind);
    this.upsertRoom(room);
    this.navigate(room.id);
  }

  private async openDirect(username: string): Promise<void> {
    const { room } = await api.openDirect(username);
    this.upsertRoom(room);
    this.navigate(room.id);
  }

  /** Rooms are addressed by the URL hash, so reload and the back button keep the open room. */
  private navigate(roomId: string): void {
    if (this.active?.room.id === roomId) {
      this.shell.setSidebarOpen(false);
      this.chatView?.focusComposer();
      return;
    }
    location.hash = `${ROOM_HASH}${encodeURIComponent(roomId)}`;
  }

  private readonly onHashChange = (): void => {
    if (this.ended) return;
    const hash = location.hash;
    if (!hash.startsWith(ROOM_HASH)) return this.showPlaceholder();
    void this.showRoom(decodeURIComponent(hash.slice(ROOM_HASH.length)));
  };

  /** Search results in the main area; a click opens the room at the message. */
  private async showSearch(q: string): Promise<void> {
    const view = new SearchResultsView(
      q,
      (roomId) => this.roomName(roomId),
      (roomId, seq) => {
        this.reveal = { roomId, seq };
        if (this.active?.room.id === roomId) void this.revealPending();
        else this.navigate(roomId);
      },
    );
    this.chatView?.destroy();
    this.chatView = undefined;
    this.active = undefined;
    history.pushState(null, '', location.pathname + location.search);
    this.renderRooms();
    this.shell.setMain(view.element);
    await view.load();
  }

  /** After a room opened from a search result: scroll to the message, paging back to it if needed. */
  private async revealPending(): Promise<void> {
    const target = this.reveal;
    if (!target || this.active?.room.id !== target.roomId || !this.chatView) return;
    this.reveal = undefined;
    await this.chatView.reveal(target.seq);
  }

  private async showRoom(roomId: string): Promise<void> {
    let room = this.rooms.find((r) => r.id === roomId);
    if (!room) {
      try {
        room = (await api.room(roomId)).room;
        this.upsertRoom(room);
      } catch (err) {
        return this.showPlaceholder(describeError(err));
      }
    }
    if (this.ended) return;
    let session = this.sessions.get(roomId);
    if (!session) {
      session = new RoomSession(room, this.me, this.socket, (r) => this.upsertRoom(r));
      this.sessions.set(roomId, session);
    }
    this.chatView?.destroy();
    this.active = session;
    const unreadAtOpen = this.unread.get(roomId) ?? 0;
    this.unread.delete(roomId);
    this.chatView = new ChatView(
      session,
      this.me,
      {
        leave: (r) => this.leaveRoom(r),
        addMember: async (r, username) => this.upsertRoom((await api.addMember(r.id, username)).room),
        muteChanged: () => this.showTitle(),
      },
      { typingNames: (id) => this.typing.names(id), isOnline: (r) => this.isOnline(r) },
      // The list's room has the newest lastSeq (the session's may be an older copy).
      unreadAtOpen > 0 ? room.lastSeq - unreadAtOpen + 1 : undefined,
    );
    this.shell.setMain(this.chatView.element);
    this.shell.setSidebarOpen(false);
    this.renderRooms();
    this.chatView.focusComposer();
    this.chatView.typingChanged();
    await session.open();
    await this.revealPending();
  }

  /** Left on another tab or path: a public room stays listed (anyone may rejoin), others go. */
  private onRoomRemoved(roomId: string): void {
    const room = this.rooms.find((r) => r.id === roomId);
    if (!room || room.kind === 'public') return;
    this.rooms = this.rooms.filter((r) => r.id !== roomId);
    this.sessions.delete(roomId);
    if (this.active?.room.id === roomId) this.showPlaceholder();
    else this.renderRooms();
  }

  private async leaveRoom(room: RoomView): Promise<void> {
    await api.leaveRoom(room.id);
    this.sessions.delete(room.id);
    if (room.kind !== 'public') this.rooms = this.rooms.filter((r) => r.id !== room.id);
    history.pushState(null, '', location.pathname + location.search);
    this.showPlaceholder();
  }

  private showPlaceholder(error?: string): void {
    this.chatView?.destroy();
    this.chatView = undefined;
    this.active = undefined;
    this.renderRooms();
    this.shell.setSidebarOpen(true);
    this.shell.setMain(
      h(
        'section',
        { class: 'placeholder', 'aria-labelledby': 'placeholder-title' },
        h('h1', { id: 'placeholder-title' }, `Welcome, ${this.me.username}`),
        error ? h('p', { class: 'form-error', role: 'alert' }, error) : null,
        h('p', { class: 'muted' }, 'Pick a room from the list, create one, or start a direct chat.'),
      ),
    );
  }

  private onConnected(): void {
    // After a reconnect (possibly to another gateway) the open room catches up from its last seq.
    if (this.everConnected) this.reloadRoomsSoon();
    this.everConnected = true;
    // Whatever changed while disconnected was not heard: start over from what the server says now.
    this.typing.clear();
    this.presence.clear();
    void this.refreshPresence(this.directRoomIds());
    for (const session of this.sessions.values()) {
      if (session === this.active) void session.sync();
      else session.flushPending();
    }
  }

  private onMessage(message: MessageView): void {
    this.sessions.get(message.roomId)?.receive(message);
    const kind = this.rooms.find((r) => r.id === message.roomId)?.kind;
    if (kind === 'direct' && message.author.id !== this.me.id && !isMuted(message.roomId)) {
      this.notifier.notify(message, this.roomName(message.roomId), false);
    }
    this.typing.stopped(message.roomId, message.author.id);
    if (this.active?.room.id !== message.roomId && message.author.id !== this.me.id) {
      this.unread.set(message.roomId, (this.unread.get(message.roomId) ?? 0) + 1);
    }
    const room = this.rooms.find((r) => r.id === message.roomId);
    if (!room) return this.reloadRoomsSoon(); // we were added to a room we did not list yet
    room.lastSeq = Math.max(room.lastSeq, message.seq);
    this.renderRooms();
  }

  /** Our own pointer moved (this tab or another): the room's badge goes with it. */
  private onRead(event: RoomReadEvent): void {
    if (event.user.id !== this.me.id) return;
    const room = this.rooms.find((r) => r.id === event.roomId);
    const left = room ? Math.max(0, room.lastSeq - event.seq) : 0;
    if (left > 0 && this.active?.room.id !== event.roomId) this.unread.set(event.roomId, left);
    else this.unread.delete(event.roomId);
    this.renderRooms();
  }

  private onMember(event: RoomMemberEvent): void {
    // Counts and membership come from the server's list rather than being patched locally.
    if (event.user.id === this.me.id || this.rooms.some((r) => r.id === event.roomId)) this.reloadRoomsSoon();
    if (this.active?.room.id === event.roomId && event.user.id !== this.me.id) {
      const room = this.active.room;
      const delta = event.change === 'joined' ? 1 : -1;
      this.active.room = { ...room, memberCount: Math.max(1, room.memberCount + delta) };
      this.chatView?.roomChanged();
    }
  }
}
