import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';
import { BODY_MAX, CONTROL_CHARS, codePointLength } from './rules';

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

/**
 * A message body: at most BODY_MAX code points, and 1 or more after trimming unless the message
 * carries attachments (then it may be empty or absent).
 */
export function MessageBody(options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'messageBody',
      validator: {
        validate: (value: unknown, args) => {
          const ids = (args?.object as { attachmentIds?: unknown } | undefined)?.attachmentIds;
          const withAttachments = Array.isArray(ids) && ids.length > 0;
          if (value === undefined) return withAttachments;
          if (typeof value !== 'string') return false;
          const n = codePointLength(value.trim());
          return n <= BODY_MAX && (withAttachments || n >= 1);
        },
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must hold 1 to ${BODY_MAX} characters after trimming, unless attachments are given`,
          options,
        ),
      },
    },
    options,
  );
}
