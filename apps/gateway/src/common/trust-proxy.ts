/** Turns TRUST_PROXY into the value Express's `trust proxy` setting takes. */
export function parseTrustProxy(raw: string): boolean | number | string[] {
  const text = raw.trim();
  if (text === '' || text.toLowerCase() === 'false') return false;
  if (text.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
