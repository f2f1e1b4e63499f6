import { MAX_MENTIONS, USERNAME_PATTERN } from '@app/contracts';

/**
 * The usernames a body mentions, lower case, in order of first appearance: `@name` where the `@`
 * starts the body or follows a character that cannot be part of a name or an address (so
 * `mail@example.com` mentions nobody), and the name follows the username rules. Text in inline
 * code or code blocks is not skipped: a mention there still names a person.
 */
export function mentionedNames(body: string): string[] {
  const names = new Set<string>();
  for (const m of body.matchAll(/(^|[^A-Za-z0-9_.@-])@([A-Za-z0-9_.-]{3,32})(?![A-Za-z0-9_-])/g)) {
    // A trailing dot ends a sentence, not a name.
    const name = m[2].replace(/\.+$/, '');
    if (!USERNAME_PATTERN.test(name)) continue;
    names.add(name.toLowerCase());
    if (names.size === MAX_MENTIONS) break;
  }
  return [...names];
}
