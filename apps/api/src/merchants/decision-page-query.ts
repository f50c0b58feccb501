import { z } from 'zod';
import { decodeDecisionCursor } from './decision-cursor';

export const DECISIONS_PAGE_SIZE_DEFAULT = 20;
/** The most decisions one page returns: each carries its reasons and line, a few hundred bytes. */
export const DECISIONS_PAGE_SIZE_MAX = 100;

const pageSizeProblem = `must be a whole number from 1 to ${DECISIONS_PAGE_SIZE_MAX}`;

/** `?limit=20&cursor=…` of GET /v1/merchants/{merchantId}/decisions; nothing else is accepted. */
export const DecisionPageQuery = z.strictObject({
  limit: z
    .string({ error: pageSizeProblem })
    .regex(/^\d{1,4}$/, pageSizeProblem)
    .transform(Number)
    .refine((size) => size >= 1 && size <= DECISIONS_PAGE_SIZE_MAX, pageSizeProblem)
    .optional()
    .transform((size) => size ?? DECISIONS_PAGE_SIZE_DEFAULT),
  cursor: z
    .string({ error: 'must be the nextCursor of a previous page' })
    .transform((raw, ctx) => {
      const after = decodeDecisionCursor(raw);
      if (after !== undefined) return after;
      ctx.addIssue({
        code: 'custom',
        message: 'is not a cursor this API issued (use nextCursor of a previous page)',
      });
      return z.NEVER;
    })
    .optional(),
});

/** `cursor` is decoded: the id of the last decision of the previous page. */
export type DecisionPageQuery = z.output<typeof DecisionPageQuery>;
