import { z } from 'zod';
import { pageCursorParam, pageLimitParam } from '@lendstream/platform';
import { decodeDecisionCursor } from './decision-cursor';

export const DECISIONS_PAGE_SIZE_DEFAULT = 20;
/** The most decisions one page returns: each carries its reasons and line, a few hundred bytes. */
export const DECISIONS_PAGE_SIZE_MAX = 100;

/** `?limit=20&cursor=…` of GET /v1/merchants/{merchantId}/decisions; nothing else is accepted. */
export const DecisionPageQuery = z.strictObject({
  limit: pageLimitParam(DECISIONS_PAGE_SIZE_DEFAULT, DECISIONS_PAGE_SIZE_MAX),
  cursor: pageCursorParam(decodeDecisionCursor),
});

/** `cursor` is decoded: the id of the last decision of the previous page. */
export type DecisionPageQuery = z.output<typeof DecisionPageQuery>;
