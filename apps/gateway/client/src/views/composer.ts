import type { AttachmentView, UserView } from '@app/contracts/views';
import { h } from '../dom';
import type { RoomSession } from '../room-session';
import { TypingSender } from '../typing';
import { AttachControl } from './attach-control';
import { MentionPicker } from './mention-picker';

/**
 * The message box under a room: Enter sends (Shift+Enter is a newline), typing is reported while
 * it holds text, and "Attach file" uploads a file and sends it with whatever text is typed.
 */
export class Composer {
  readonly element: HTMLElement;
  private readonly input: HTMLTextAreaElement;
  private readonly typingSender: TypingSender;
  private readonly picker: MentionPicker;

  constructor(
    private readonly session: RoomSession,
    members: () => Promise<UserView[]>,
  ) {
    this.typingSender = new TypingSender((typing) => session.sendTyping(typing));
    this.input = h('textarea', {
      id: 'composer-input',
      rows: 1,
      maxlength: 4000,
      placeholder: `Message ${session.room.name}`,
      enterkeyhint: 'send',
    });
    this.picker = new MentionPicker(this.input, members);
    const attach = new AttachControl(session.room.id, (attachment) => this.sendWith(attachment));
    const send = h('button', { type: 'submit', class: 'primary' }, 'Send');
    const form = h(
      'form',
      { class: 'composer' },
      h('label', { for: 'composer-input', class: 'visually-hidden' }, 'Message'),
      attach.picker,
      attach.button,
      this.input,
      send,
    );
    this.element = h('div', { class: 'composer-area' }, attach.status, this.picker.element, form);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
      this.input.focus();
    });
    this.input.addEventListener('keydown', (event) => {
      if (this.picker.key(event)) return event.preventDefault();
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => {
      this.autosize();
      this.typingSender.input(this.input.value);
      void this.picker.update();
    });
    this.input.addEventListener('blur', () => {
      this.typingSender.stop();
      this.picker.close();
    });
  }

  focus(): void {
    this.input.focus({ preventScroll: true });
  }

  stop(): void {
    this.typingSender.stop();
  }

  private submit(): void {
    if (!this.input.value.trim()) return;
    this.sendWith();
  }

  /** Sends the typed text (empty is fine with a file) and clears the box. */
  private sendWith(attachment?: AttachmentView): void {
    this.typingSender.stop();
    this.session.send(this.input.value, attachment ? [attachment] : []);
    this.input.value = '';
    this.autosize();
  }

  private autosize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 200)}px`;
  }
}
