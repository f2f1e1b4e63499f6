import type { PresenceBeacon, PresenceSyncReply, RoomPresenceEvent } from '@app/contracts';

// Other gateways are trusted, but a malformed message must not poison the claims.

type Fields = Record<string, unknown>;

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isUser = (v: unknown): boolean => {
  const user = v as Fields | null | undefined;
  return typeof user?.id === 'string' && typeof user.username === 'string';
};

function fromGateway(value: unknown): value is Fields {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Fields;
  return typeof e.gatewayId === 'string' && typeof e.intervalMs === 'number' && e.intervalMs > 0;
}

export function isRoomPresenceEvent(value: unknown): value is RoomPresenceEvent {
  if (!fromGateway(value)) return false;
  if (value.type === 'sync') return Number.isInteger(value.syncId);
  if (!isUser(value.user) || !strings(value.roomIds)) return false;
  return value.type === 'release' || (value.type === 'claim' && typeof value.first === 'boolean');
}

export function isPresenceBeacon(value: unknown): value is PresenceBeacon {
  if (!fromGateway(value)) return false;
  switch (value.type) {
    case 'alive':
      return typeof value.held === 'number';
    case 'sync':
      return (
        Number.isInteger(value.syncId) &&
        strings(value.roomIds) &&
        (value.target === undefined || typeof value.target === 'string')
      );
    default:
      return false;
  }
}

export function isPresenceSyncReply(value: unknown): value is PresenceSyncReply {
  if (!fromGateway(value) || value.type !== 'held' || !Array.isArray(value.users)) return false;
  if (![value.syncId, value.part, value.parts].every(Number.isInteger) || !((value.parts as number) >= 1)) return false;
  return value.users.every((h: unknown) => isUser((h as Fields | null)?.user) && strings((h as Fields).roomIds));
}
