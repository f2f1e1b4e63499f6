import type { UserView } from '@app/contracts/views';
import { h, replaceChildren } from '../dom';

const MAX_SHOWN = 8;

/**
 * `@` in the message box opens a list of the room's members whose name starts with what follows;
 * ArrowUp/ArrowDown move, Enter or Tab picks, Escape closes, a click picks. Picking puts
 * `@username ` in place of what was typed.
 */
export class MentionPicker {
  readonly element = h('ul', {
    class: 'mention-picker',
    role: 'listbox',
    'aria-label': 'Mention a member',
    hidden: true,
  });
  private shown: UserView[] = [];
  private active = 0;
  private members?: Promise<UserView[]>;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly loadMembers: () => Promise<UserView[]>,
  ) {
    this.input.setAttribute('aria-autocomplete', 'list');
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  /** After each input: the `@word` just before the caret, if any, filters the members. */
  async update(): Promise<void> {
    const prefix = this.prefix();
    if (prefix === null) return this.close();
    this.members ??= this.loadMembers().catch(() => {
      this.members = undefined;
      return [];
    });
    const members = await this.members;
    if (this.prefix() !== prefix) return; // typed on meanwhile: the next update shows that
    const wanted = prefix.toLowerCase();
    this.shown = members.filter((m) => m.username.toLowerCase().startsWith(wanted)).slice(0, MAX_SHOWN);
    if (this.shown.length === 0) return this.close();
    this.active = 0;
    this.render();
  }

  /** Keys while open; true when the key was the picker's (the box must not act on it). */
  key(event: KeyboardEvent): boolean {
    if (!this.open) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + this.shown.length) % this.shown.length;
      this.render();
      return true;
    }
    if (event.key === 'Enter' || event.key === 'Tab') {
      this.pick(this.shown[this.active]);
      return true;
    }
    if (event.key === 'Escape') {
      this.close();
      return true;
    }
    return false;
  }

  close(): void {
    this.element.hidden = true;
    this.input.removeAttribute('aria-activedescendant');
  }

  private prefix(): string | null {
    const before = this.input.value.slice(0, this.input.selectionStart ?? this.input.value.length);
    const m = /(^|[^A-Za-z0-9_.@-])@([A-Za-z0-9_.-]{0,32})$/.exec(before);
    return m ? m[2] : null;
  }

  private pick(user: UserView | undefined): void {
    if (!user) return this.close();
    const caret = this.input.selectionStart ?? this.input.value.length;
    const before = this.input.value.slice(0, caret).replace(/@[A-Za-z0-9_.-]*$/, `@${user.username} `);
    this.input.value = before + this.input.value.slice(caret);
    this.input.setSelectionRange(before.length, before.length);
    this.close();
    this.input.focus();
  }

  private render(): void {
    replaceChildren(
      this.element,
      ...this.shown.map((user, i) => {
        const item = h(
          'li',
          { role: 'option', id: `mention-option-${i}`, 'aria-selected': String(i === this.active) },
          `@${user.username}`,
        );
        // mousedown, not click: the box keeps its focus and caret.
        item.addEventListener('mousedown', (event) => {
          event.preventDefault();
          this.pick(user);
        });
        return item;
      }),
    );
    this.element.hidden = false;
    this.input.setAttribute('aria-activedescendant', `mention-option-${this.active}`);
  }
}
