import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { parseInput } from './parse-input';

const PRIMITIVES: unknown[] = [String, Boolean, Number, Array, Object];

/**
 * Validates request bodies against their classes (class-validator, whitelist and
 * forbidNonWhitelisted): a failure is VALIDATION_FAILED, like on every other edge.
 */
@Injectable()
export class HttpValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype, type } = metadata;
    if (type !== 'body' || !metatype || PRIMITIVES.includes(metatype)) return value;
    return parseInput(metatype as new () => object, value);
  }
}
