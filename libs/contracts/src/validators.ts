import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsString,
  ValidateBy,
  ValidateIf,
  ValidationOptions,
  buildMessage,
} from 'class-validator';
import { BODY_MAX, CONTROL_CHARS, MAX_ATTACHMENTS, codePointLength } from './rules';

/** Optional when absent only: `null` is a wrong value, not a missing one (`IsOptional` would let it through). */
export function OptionalField(): PropertyDecorator {
  return ValidateIf((_object: unknown, value: unknown) => value !== undefined);
}

/**
 * The list rules of a message's `attachmentIds`, the same at every edge: an array of at most
 * MAX_ATTACHMENTS strings, no repeats. What form each id must have is each edge's own rule.
 */
export function AttachmentIdList(): PropertyDecorator {
  const rules = [IsArray(), ArrayMaxSize(MAX_ATTACHMENTS), ArrayUnique(), IsString({ each: true })];
  return (target, property) => {
    for (const rule of rules) rule(target, property);
  };
}

/** A string whose length in code points, after `trim()` when asked, lies in [min, max]. */
export function CodePoints(min: number, max: number, opts: { trim?: boolean } = {}, options?: ValidationOptions) {
  return ValidateBy(
    {
      name: 'codePoints',
      constraints: [min, max, opts.trim === true],
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
