import type { MessageView } from '@app/contracts/views';
import { api, describeError, type SearchPage } from '../api';
import { h, replaceChildren } from '../dom';
import { fullTime, shortTime } from '../format';

/**
 * The results of one search, newest first, with the matched words marked (as text: `<mark>` around
 * plain substrings, never markup from the body) and "More results" paging with the server's cursor.
 */
export class SearchResultsView {
  readonly element: HTMLElement;
  private readonly list = h('ol', { class: 'search-results', 'aria-label': 'Search results' });
  private readonly status = h('p', { class: 'muted', role: 'status' });
  private readonly more = h('button', { type: 'button', class: 'ghost', hidden: true }, 'More results');
  private next?: string;

  constructor(
    private readonly q: string,
    private readonly roomName: (roomId: string) => string,
    private readonly open: (roomId: string, seq: number) => void,
  ) {
    this.more.addEventListener('click', () => void this.load());
    this.element = h(
      'section',
      { class: 'search-view', 'aria-labelledby': 'search-title' },
      h('h1', { id: 'search-title' }, `Search: ${q}`),
      this.status,
      this.list,
      this.more,
    );
  }

  async load(): Promise<void> {
    this.status.textContent = 'Searching…';
    let page: SearchPage;
    try {
      page = await api.search(this.q, this.next);
    } catch (err) {
      this.status.textContent = describeError(err);
      return;
    }
    for (const r of page.results) this.list.append(this.item(r.message, r.highlights));
    this.next = page.nextBefore;
    this.more.hidden = !this.next;
    this.status.textContent =
      this.list.childElementCount === 0 ? 'No messages found.' : `${this.list.childElementCount} found`;
  }

  private item(message: MessageView, highlights: string[]): HTMLLIElement {
    const open = h(
      'button',
      { type: 'button', class: 'search-hit' },
      h(
        'span',
        { class: 'meta' },
        h('span', { class: 'room' }, this.roomName(message.roomId)),
        h('span', { class: 'author' }, message.author.username),
        h('time', { datetime: message.createdAt, title: fullTime(message.createdAt) }, shortTime(message.createdAt)),
      ),
      h('span', { class: 'snippet' }),
    );
    replaceChildren(open.querySelector('.snippet')!, ...marked(message.body, highlights));
    open.addEventListener('click', () => this.open(message.roomId, message.seq));
    return h('li', {}, open);
  }
}

/** The body as text nodes, with each highlighted word (any case) in a `<mark>`. */
export function marked(body: string, highlights: string[]): Node[] {
  const words = highlights.filter((w) => w.length > 0).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length === 0) return [document.createTextNode(body)];
  const out: Node[] = [];
  let last = 0;
  for (const m of body.matchAll(new RegExp(words.join('|'), 'giu'))) {
    const at = m.index ?? 0;
    out.push(document.createTextNode(body.slice(last, at)), h('mark', {}, m[0]));
    last = at + m[0].length;
  }
  out.push(document.createTextNode(body.slice(last)));
  return out;
}
