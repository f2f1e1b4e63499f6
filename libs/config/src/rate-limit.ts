import { Matches, ValidationOptions } from 'class-validator';

/** A limit as configured: `<points>/<seconds>`, e.g. `30/10` for 30 per 10 seconds. */
export interface RateLimit {
  points: number;
  seconds: number;
}

const RATE = /^([1-9]\d{0,9})\/([1-9]\d{0,6})$/;

/** Validates a `<points>/<seconds>` variable (both whole numbers from 1 to 9,999,999). */
export function IsRateLimit(options?: ValidationOptions): PropertyDecorator {
  return Matches(RATE, { message: '$property must be <points>/<seconds>, e.g. 30/10', ...options });
}

export function parseRateLimit(value: string): RateLimit {
  const m = RATE.exec(value);
  if (!m) throw new Error(`not a rate limit: ${value}`);
  return { points: Number(m[1]), seconds: Number(m[2]) };
}
