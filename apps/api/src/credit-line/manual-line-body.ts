import { z } from 'zod';
import { REASON_MESSAGE_MAX } from '@lendstream/credit';

/**
 * The body of `POST …/credit-line/freeze` and `/unfreeze`: why operations act, one line of
 * text. A freeze's reason becomes the MANUAL_FREEZE reason of the line and its event; both go
 * into the audit log.
 */
export const ManualLineBody = z.strictObject(
  {
    reason: z
      .string({ error: 'must be a string: why operations act, e.g. "chargeback fraud under review"' })
      .trim()
      .min(1, 'must not be empty: say why operations act')
      .max(REASON_MESSAGE_MAX, `must be at most ${REASON_MESSAGE_MAX} characters`)
      .regex(/^[^\u0000-\u001F\u007F]*$/, 'must be one line of text without control characters'),
  },
  { error: 'must be a JSON object such as {"reason": "…"}' },
);
export type ManualLineBody = z.output<typeof ManualLineBody>;
