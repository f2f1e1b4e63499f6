import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { parsePayload } from './validate';

const PRIMITIVES: unknown[] = [String, Boolean, Number, Array, Object];

/** Validates a NATS handler's payload against its contract class; failures answer VALIDATION_FAILED. */
@Injectable()
export class RpcValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    // Only the payload is the caller's: the request's context (`@Ctx()`) is the transport's.
    if (metadata.type !== 'body') return value;
    if (!metatype || PRIMITIVES.includes(metatype)) return value;
    return parsePayload(metatype as new () => object, value);
  }
}
