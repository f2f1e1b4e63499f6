// Per-room mute, kept in this browser (localStorage): a muted room notifies nothing and does not
// count in the title; its badge still shows what is unread.
const KEY = 'chat.muted-rooms';

function load(): Set<string> {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return new Set(Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

export function isMuted(roomId: string): boolean {
  return load().has(roomId);
}

export function setMuted(roomId: string, muted: boolean): void {
  const rooms = load();
  if (muted) rooms.add(roomId);
  else rooms.delete(roomId);
  try {
    localStorage.setItem(KEY, JSON.stringify([...rooms]));
  } catch {
    // storage full or refused: the choice lasts for this page only
  }
}
