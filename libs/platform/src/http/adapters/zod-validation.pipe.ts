import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { parseOrThrow } from '../validation';

/**
 * Validates a body, a query or a path parameter with a zod schema; a 400 VALIDATION_FAILED
 * naming the field otherwise (parseOrThrow):
 *
 *     @Body(new ZodValidationPipe(DrawdownBody)) body: DrawdownBody
 *     @Param('merchantId', new ZodValidationPipe(MerchantId)) merchantId: string
 */
@Injectable()
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.output<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown, metadata: ArgumentMetadata): z.output<S> {
    return parseOrThrow(this.schema, value, metadata.data ?? metadata.type);
  }
}
