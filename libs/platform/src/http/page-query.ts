import { z } from 'zod';

/**
 * `?limit=`: how many items a list route's page holds, a whole number from 1 to `maxSize`
 * (bounded, so no page can grow without limit), `defaultSize` when absent.
 */
export function pageLimitParam(defaultSize: number, maxSize: number) {
  const problem = `must be a whole number from 1 to ${maxSize}`;
  return z
    .string({ error: problem })
    .regex(/^\d{1,4}$/, problem)
    .transform(Number)
    .refine((size) => size >= 1 && size <= maxSize, problem)
    .optional()
    .transform((size) => size ?? defaultSize);
}

/**
 * `?cursor=`: the `nextCursor` of a previous page, decoded into the position it stands for by
 * the route's own `decode` (undefined: not a cursor this API issued, a 400 naming it).
 */
export function pageCursorParam<Position>(decode: (raw: string) => Position | undefined) {
  return z
    .string({ error: 'must be the nextCursor of a previous page' })
    .transform((raw, ctx) => {
      const position = decode(raw);
      if (position !== undefined) return position;
      ctx.addIssue({
        code: 'custom',
        message: 'is not a cursor this API issued (use nextCursor of a previous page)',
      });
      return z.NEVER;
    })
    .optional();
}
