import { ID_MAX } from '@app/contracts';
import { DomainError } from '@app/errors';

// Ids we issue are UUIDs or simple slugs. Anything else names nothing, and must never reach a
// NATS subject, where `.`, `*` or `>` would change what we subscribe to.
const ID_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${ID_MAX}}$`);

export function isKnownIdShape(id: unknown): id is string {
  return typeof id === 'string' && ID_PATTERN.test(id);
}

/** An id that cannot name anything is simply not found, whatever its form (never 400). */
export function assertRoomId(id: string): string {
  if (!isKnownIdShape(id)) throw DomainError.notFound('Room not found');
  return id;
}

// A message id is `<roomId>:<seq>` (the message service's `_id`); room ids need no escaping.
const MESSAGE_ID_PATTERN = new RegExp(`^[A-Za-z0-9_-]{1,${ID_MAX}}:[1-9][0-9]{0,14}$`);

/** A message id of any other form names nothing: NOT_FOUND, never VALIDATION_FAILED. */
export function assertMessageId(id: string): string {
  if (!MESSAGE_ID_PATTERN.test(id)) throw DomainError.notFound('Message not found');
  return id;
}
