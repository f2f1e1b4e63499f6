import type { AttachmentView } from '@app/contracts/views';
import { describeError } from '../api';
import { h, uid } from '../dom';
import { uploadAttachment } from '../upload';

/**
 * The composer's "Attach file" button and its file picker. The `<input type=file>` is visually
 * hidden and kept out of the tab order and accessibility tree (the button is the one control); its
 * label still names it for tools that set files on it. A picked file is uploaded to the room with
 * progress shown, then handed to `uploaded`.
 */
export class AttachControl {
  readonly button: HTMLButtonElement;
  readonly picker: HTMLElement;
  /** "Uploading photo.png… 40%", or why the upload failed. */
  readonly status = h('p', { class: 'upload-status small', role: 'status' });
  private readonly input: HTMLInputElement;
  private busy = false;

  constructor(
    private readonly roomId: string,
    private readonly uploaded: (attachment: AttachmentView) => void,
  ) {
    const id = uid('attach-input');
    this.input = h('input', { id, type: 'file', class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true' });
    this.picker = h(
      'span',
      {},
      h('label', { for: id, class: 'visually-hidden', 'aria-hidden': 'true' }, 'Attach file'),
      this.input,
    );
    // The name comes from the content ("Attach" + hidden " file"), not aria-label, so a label lookup finds only the input.
    this.button = h(
      'button',
      { type: 'button', class: 'ghost attach' },
      paperclipIcon(),
      'Attach',
      h('span', { class: 'visually-hidden' }, ' file'),
    );
    this.button.addEventListener('click', () => this.input.click());
    this.input.addEventListener('change', () => {
      const file = this.input.files?.[0];
      this.input.value = ''; // picking the same file again fires `change` again
      if (file) void this.upload(file);
    });
  }

  private async upload(file: File): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.button.disabled = true;
    this.show(`Uploading ${file.name}…`);
    try {
      const attachment = await uploadAttachment(this.roomId, file, (fraction) =>
        this.show(`Uploading ${file.name}… ${Math.round(fraction * 100)}%`),
      );
      this.show('');
      this.uploaded(attachment);
    } catch (err) {
      this.show(`${file.name}: ${describeError(err)}`, true);
    } finally {
      this.busy = false;
      this.button.disabled = false;
    }
  }

  private show(text: string, error = false): void {
    this.status.textContent = text;
    this.status.classList.toggle('error', error);
  }
}

/** An inline SVG paperclip: no font on these machines has the emoji. */
function paperclipIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [k, v] of Object.entries({
    viewBox: '0 0 24 24',
    width: '16',
    height: '16',
    'aria-hidden': 'true',
    class: 'icon',
  })) {
    svg.setAttribute(k, v);
  }
  const path = document.createElementNS(ns, 'path');
  path.setAttribute(
    'd',
    'M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.5 3.5 0 0 1 5 5l-8.6 8.6a2 2 0 0 1-2.8-2.8l7.9-7.9',
  );
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '2');
  path.setAttribute('stroke-linecap', 'round');
  path.setAttribute('stroke-linejoin', 'round');
  svg.append(path);
  return svg;
}
