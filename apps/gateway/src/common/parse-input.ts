import { ClassConstructor } from 'class-transformer';
import { DomainError, parsePayload } from '@app/errors';

const UNKNOWN_PROPERTY = /^property (.*) should not exist$/;
const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,40}$/;

/**
 * `parsePayload` for client input: the same rules, but an unknown property is named only when
 * its name is harmless, so an operator-shaped key (`$where`) is never echoed back.
 */
export async function parseInput<T extends object>(cls: ClassConstructor<T>, value: unknown): Promise<T> {
  try {
    return await parsePayload(cls, value);
  } catch (e) {
    const name = e instanceof DomainError ? UNKNOWN_PROPERTY.exec(e.message)?.[1] : undefined;
    if (name === undefined) throw e;
    throw DomainError.validation(SAFE_NAME.test(name) ? `unknown property ${name}` : 'unknown property in payload');
  }
}
