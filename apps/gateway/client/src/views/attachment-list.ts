import type { AttachmentView } from '@app/contracts/views';
import { h } from '../dom';
import { fileSize } from '../format';

/**
 * A message's files: images as lazy thumbnails linking to the full file, anything else as a link
 * named by the file with its size. Names go in as text or attributes, never as markup.
 */
export function renderAttachments(attachments: AttachmentView[] | undefined): HTMLUListElement | null {
  if (!attachments?.length) return null;
  return h('ul', { class: 'attachments' }, ...attachments.map(renderAttachment));
}

function renderAttachment(a: AttachmentView): HTMLLIElement {
  const label = `${a.name} (${fileSize(a.size)})`;
  if (a.type.toLowerCase().startsWith('image/')) {
    return h(
      'li',
      { class: 'attachment image' },
      h(
        'a',
        { href: a.url, target: '_blank', rel: 'noopener', title: label },
        h('img', { src: a.url, alt: a.name, loading: 'lazy', decoding: 'async' }),
      ),
    );
  }
  return h(
    'li',
    { class: 'attachment file' },
    h('a', { href: a.url, download: a.name }, a.name),
    h('span', { class: 'muted small' }, ` (${fileSize(a.size)})`),
  );
}
