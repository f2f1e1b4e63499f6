import { BODY_MAX, CONTROL_CHARS } from '@app/contracts';
import { ValidationTypes, getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/** A JSON Schema object, as AsyncAPI's default schema format takes it. */
export type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema of one class-validator rule. Every rule a socket payload uses is here; any other
 * throws, so a new rule cannot be left out of docs/asyncapi.yaml silently.
 */
function ruleSchema(meta: ValidationMetadata): JsonSchema {
  const [a, b, c] = (meta.constraints ?? []) as unknown[];
  switch (meta.name ?? '') {
    case 'isString':
      return { type: 'string' };
    case 'isBoolean':
      return { type: 'boolean' };
    case 'isInt':
      return { type: 'integer' };
    case 'isArray':
      return { type: 'array' };
    case 'minLength':
      return { minLength: a };
    case 'maxLength':
      return { maxLength: a };
    case 'min':
      return { minimum: a };
    case 'max':
      return { maximum: a };
    case 'matches':
      return { pattern: (a as RegExp).source };
    case 'isIn':
      return { enum: a };
    case 'arrayMaxSize':
      return { maxItems: a };
    case 'arrayMinSize':
      return { minItems: a };
    case 'arrayUnique':
      return { uniqueItems: true };
    case 'codePoints':
      return {
        type: 'string',
        minLength: a,
        maxLength: b,
        ...(c === true ? { description: `${String(a)}–${String(b)} characters after trimming` } : {}),
      };
    case 'noControlChars':
      return { not: { pattern: CONTROL_CHARS.source }, description: 'No control characters' };
    case 'messageBody':
      return {
        type: 'string',
        maxLength: BODY_MAX,
        description: `1–${BODY_MAX} characters after trimming; may be "" or absent when attachmentIds is not empty`,
      };
    default:
      throw new Error(`no JSON Schema for the rule "${meta.name ?? '?'}" of ${meta.propertyName}`);
  }
}

type Constructor = abstract new (...args: never[]) => unknown;

/** How far up `cls`'s prototype chain `target` is: rules of ancestors come first, as their fields do. */
function depthOf(cls: Constructor, target: ValidationMetadata['target']): number {
  let depth = 0;
  for (let p: unknown = cls; p && p !== Function.prototype; p = Object.getPrototypeOf(p)) {
    if (p === target) return depth;
    depth++;
  }
  return 0;
}

/**
 * The JSON Schema of a payload class, read from its class-validator rules (those of the classes it
 * extends or picks from included): what the gateway validates is what the document says. A field
 * with a condition (`ValidateIf`, `IsOptional`) or a message body (absent with attachments) is
 * optional; every other one is required. (Other fields are ignored by the gateway, so not refused here.)
 */
export function validationSchemaOf(cls: Constructor): JsonSchema {
  const metas = getMetadataStorage()
    .getTargetValidationMetadatas(cls, '', true, false)
    .map((meta, i) => ({ meta, i, depth: depthOf(cls, meta.target) }))
    .sort((x, y) => y.depth - x.depth || x.i - y.i)
    .map(({ meta }) => meta);
  const properties: Record<string, JsonSchema> = {};
  const optional = new Set<string>();
  for (const meta of metas) {
    const field = (properties[meta.propertyName] ??= {});
    if (meta.type === ValidationTypes.CONDITIONAL_VALIDATION) {
      optional.add(meta.propertyName);
      continue;
    }
    if (meta.type !== ValidationTypes.CUSTOM_VALIDATION) {
      throw new Error(`no JSON Schema for a ${meta.type} rule of ${cls.name}.${meta.propertyName}`);
    }
    if (meta.name === 'messageBody') optional.add(meta.propertyName);
    const rule = ruleSchema(meta);
    if (meta.each) field.items = { ...(field.items as JsonSchema | undefined), ...rule };
    else Object.assign(field, rule);
  }
  const required = Object.keys(properties).filter((name) => !optional.has(name));
  // `type` first, as a reader looks for it; rules in the order they were declared.
  const ordered = Object.fromEntries(
    Object.entries(properties).map(([name, { type, ...rules }]) => [
      name,
      type === undefined ? rules : { type, ...rules },
    ]),
  );
  return { type: 'object', properties: ordered, ...(required.length > 0 ? { required } : {}) };
}
