import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';
import { CONTROL_CHARS, codePointLength } from './rules';

/** A string whose length in code points, after `trim()` when asked, lies in [min, max]. */
export function CodePoints(min: number, max: number, opts: { trim?: boolean } = {}, options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'codePoints',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const n = codePointLength(opts.trim ? value.trim() : value);
          return n >= min && n <= max;
        },
        defaultMessage: buildMessage(
          (each) => `${each}$property must hold ${min} to ${max} characters${opts.trim ? ' after trimming' : ''}`,
          options,
        ),
      },
    },
    options,
  );
}

export function NoControlChars(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'noControlChars',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !CONTROL_CHARS.test(value),
        defaultMessage: buildMessage((each) => `${each}$property must not contain control characters`, options),
      },
    },
    options,
  );
}
