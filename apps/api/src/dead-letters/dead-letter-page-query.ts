import { z } from 'zod';
import { pageCursorParam, pageLimitParam } from '@lendstream/platform';
import { decodeDeadLetterCursor } from '@lendstream/dead-letters';

export const DEAD_LETTERS_PAGE_SIZE_DEFAULT = 20;
/** Each dead letter carries up to 8 KiB of its payload: 100 of them is under a megabyte. */
export const DEAD_LETTERS_PAGE_SIZE_MAX = 100;

const reasonProblem = 'must be a dead-letter reason code such as SCHEMA_VIOLATION';
const topicProblem = 'must be a topic name such as scf.orders.v1';

/** `?limit=20&cursor=…&reason=SCHEMA_VIOLATION&topic=scf.orders.v1` of GET /v1/dead-letters. */
export const DeadLetterPageQuery = z.strictObject({
  limit: pageLimitParam(DEAD_LETTERS_PAGE_SIZE_DEFAULT, DEAD_LETTERS_PAGE_SIZE_MAX),
  cursor: pageCursorParam(decodeDeadLetterCursor),
  reason: z
    .string({ error: reasonProblem })
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/, reasonProblem)
    .optional()
    .describe(
      'Only this dlq-reason (UNKNOWN_REASON: dead letters whose reason header was missing or garbled)',
    ),
  topic: z
    .string({ error: topicProblem })
    .regex(/^[A-Za-z0-9._-]{1,249}$/, topicProblem)
    .optional()
    .describe('Only dead letters from this source topic, as named on the broker'),
});
/** `cursor` is decoded: where the previous page ended. */
export type DeadLetterPageQuery = z.output<typeof DeadLetterPageQuery>;
