import { ClassConstructor, plainToInstance } from 'class-transformer';
import { ValidationError, validate } from 'class-validator';
import { DomainError } from './domain-error';

/** First human-readable reason out of class-validator's tree. */
export function describeValidation(errors: ValidationError[]): string {
  for (const e of errors) {
    const reasons = e.constraints ? Object.values(e.constraints) : [];
    if (reasons.length > 0) return reasons[0];
    if (e.children?.length) {
      const inner = describeValidation(e.children);
      if (inner) return `${e.property}: ${inner}`;
    }
  }
  return 'invalid payload';
}

/** Keys that reach an object's prototype machinery when copied into one (prototype pollution). */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Deeper than any payload of the contract: refused rather than walked. */
const MAX_DEPTH = 16;

/** Whether `value` holds a prototype key at any depth, or is nested deeper than MAX_DEPTH. */
function hasPrototypeKeyOrDepth(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth > MAX_DEPTH) return true;
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) return true;
    if (hasPrototypeKeyOrDepth((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/**
 * Turns an untrusted value into a validated instance of `cls`, or throws VALIDATION_FAILED.
 * Unknown properties are rejected, so a typo in a field name is an error, not a silent default;
 * `__proto__`, `constructor` and `prototype` keys anywhere are refused before anything copies them.
 */
export async function parsePayload<T extends object>(cls: ClassConstructor<T>, value: unknown): Promise<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw DomainError.validation('payload must be a JSON object');
  }
  if (hasPrototypeKeyOrDepth(value)) throw DomainError.validation('unknown property in payload');
  const instance = plainToInstance(cls, value, { enableImplicitConversion: false });
  // forbidUnknownValues off: a payload class without rules (HealthRequest) is valid when empty,
  // and unknown properties are still refused by forbidNonWhitelisted.
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false });
  if (errors.length > 0) throw DomainError.validation(describeValidation(errors));
  return instance;
}
