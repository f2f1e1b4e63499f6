import type { MessageView } from '@app/contracts/views';

/**
 * Browser notifications (the Notification API) for a direct message or a mention of us, only while
 * the tab is hidden and once the user allowed them. Each message notifies once (a mention in a DM
 * arrives both as `message:new` and as `mention`). A click focuses the tab and opens the room.
 */
export class Notifier {
  private readonly shown = new Set<string>();

  constructor(private readonly open: (roomId: string) => void) {}

  /** Asks for the permission (call from a user gesture: browsers ignore it otherwise). */
  static request(): void {
    if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
      void Notification.requestPermission();
    }
  }

  notify(message: MessageView, roomName: string, mention: boolean): void {
    if (!document.hidden || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    if (this.shown.has(message.id)) return;
    this.shown.add(message.id);
    if (this.shown.size > 500) this.shown.delete(this.shown.values().next().value as string);
    const title = mention ? `${message.author.username} mentioned you in ${roomName}` : message.author.username;
    const note = new Notification(title, { body: message.body.slice(0, 200), tag: message.id });
    note.onclick = () => {
      window.focus();
      this.open(message.roomId);
      note.close();
    };
  }
}
