// Message bodies as readable text: a small markdown subset (bold, italic, inline code, code blocks,
// quotes) and links, rendered by markdown-it with raw HTML off, so no user text can become markup.
import MarkdownIt from 'markdown-it';
import type { UserView } from '@app/contracts/views';

const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: true })
  .enable(['emphasis', 'backticks', 'fence', 'code', 'blockquote', 'newline', 'escape', 'linkify', 'link', 'autolink'])
  .enable(['paragraph', 'text', 'balance_pairs', 'fragments_join'], true);

/** Only these schemes become links; anything else (javascript:, data:, vbscript:, file:) stays text. */
const SAFE_LINK = /^(https?:|mailto:)/i;
md.validateLink = (url: string): boolean => SAFE_LINK.test(url.trim());

// Every link opens in a new tab without giving the page a handle on ours.
const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet('target', '_blank');
  tokens[idx].attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/**
 * The body as DOM nodes. `mentions` (the users the server found mentioned) are marked, and the
 * reader's own name (`me`) as a mention of them; the text inside code is left alone.
 */
export function renderBody(body: string, mentions: UserView[] = [], me?: string): DocumentFragment {
  const template = document.createElement('template');
  // markdown-it escapes every character of user text (html: false): the string holds only its own tags.
  template.innerHTML = md.render(body);
  const names = new Set(mentions.map((u) => u.username.toLowerCase()));
  if (names.size > 0) markMentions(template.content, names, me?.toLowerCase());
  return template.content;
}

function markMentions(root: DocumentFragment, names: Set<string>, me: string | undefined): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) =>
      node.parentElement?.closest('code, a') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
  });
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text);
  for (const text of texts) {
    const value = text.data;
    const parts: (string | HTMLElement)[] = [];
    let last = 0;
    for (const m of value.matchAll(/(^|[^A-Za-z0-9_.@-])@([A-Za-z0-9_.-]{3,32})/g)) {
      const name = m[2].replace(/\.+$/, '');
      if (!names.has(name.toLowerCase())) continue;
      const start = (m.index ?? 0) + m[1].length;
      parts.push(value.slice(last, start));
      const span = document.createElement('span');
      span.className = name.toLowerCase() === me ? 'mention mention-me' : 'mention';
      span.textContent = `@${name}`;
      parts.push(span);
      last = start + 1 + name.length;
    }
    if (parts.length === 0) continue;
    parts.push(value.slice(last));
    text.replaceWith(...parts);
  }
}
