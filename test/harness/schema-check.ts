import Ajv, { type AnySchema } from 'ajv';
import { ISO_UTC } from './contract';

type Schemas = Record<string, unknown>;

/**
 * Copies `schemas` with `additionalProperties: false` on every object schema that lists its
 * properties: a real answer then fits its documented schema only when it carries no field the
 * document does not name, as well as every required one.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, closed(v)]));
  if ('properties' in copy && !('additionalProperties' in copy)) copy.additionalProperties = false;
  return copy;
}

/**
 * Checks values against the schemas of an API document (OpenAPI `components.schemas`, AsyncAPI
 * `components.schemas`), closed as above, `date-time` as the contract's ISO-8601 UTC.
 * `check(schema, value)` answers null when it fits, else ajv's errors.
 */
export function schemaChecker(components: { schemas?: Schemas }, prefix = '#/components/') {
  // OpenAPI 3.0 and AsyncAPI schema objects carry keywords JSON Schema does not know (example, …).
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat('date-time', ISO_UTC);
  ajv.addSchema({ components: closed(components) }, 'doc');
  const anchored = (schema: unknown) =>
    JSON.parse(JSON.stringify(closed(schema)).replaceAll(`"${prefix}`, `"doc${prefix}`)) as AnySchema;
  return (schema: unknown, value: unknown): unknown[] | null => {
    const validate = ajv.compile(anchored(schema));
    return validate(value) ? null : (validate.errors ?? []);
  };
}
