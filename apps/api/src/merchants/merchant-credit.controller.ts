import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MerchantId } from '@lendstream/contracts';
import {
  ApiDocumented,
  ApiError,
  RequireRoles,
  validationFailed,
  ZodValidationPipe,
} from '@lendstream/platform';
import { CreditLineViewSchema, DecisionPageSchema } from './credit-view-schemas';
import { findCreditLine, findDecision, isLiveDecisionOf, listDecisions } from './credit-read-queries';
import { encodeDecisionCursor } from './decision-cursor';
import { DecisionPageQuery } from './decision-page-query';
import { creditLineView, CreditLineView, DecisionPage, decisionView } from './credit-views';

const merchantIdPipe = new ZodValidationPipe(MerchantId);

/** A merchant's credit line and its decision history, for finance operations (role ops:read). */
@Controller('v1/merchants/:merchantId')
export class MerchantCreditController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The current line, with the decision that last changed it and that decision's reasons. */
  @Get('credit-line')
  @RequireRoles('ops:read')
  @ApiDocumented({
    summary: "A merchant's credit line",
    description:
      'The current line (money as strings of minor units), with the decision that last changed it and its reasons.',
    tags: ['credit lines'],
    params: { merchantId: MerchantId },
    responses: {
      200: { description: 'The line', schema: CreditLineViewSchema },
      404: { description: 'The merchant has no credit line', codes: ['CREDIT_LINE_NOT_FOUND'] },
    },
  })
  async creditLine(@Param('merchantId', merchantIdPipe) merchantId: string): Promise<CreditLineView> {
    const stored = await findCreditLine(this.dataSource.manager, merchantId);
    if (stored === null)
      throw new ApiError(404, 'CREDIT_LINE_NOT_FOUND', `merchant ${merchantId} has no credit line`);
    const decision = await findDecision(this.dataSource.manager, stored.line.decisionId);
    return creditLineView(stored.line, stored.updatedAt, decision === null ? null : decisionView(decision));
  }

  /** Every live decision about the merchant, newest first, a page at a time (empty when none). */
  @Get('decisions')
  @RequireRoles('ops:read')
  @ApiDocumented({
    summary: "A merchant's decision history",
    description:
      "Live decisions (not shadow policies'), newest first, a page at a time: pass nextCursor as cursor for the next page. Empty when none.",
    tags: ['credit lines'],
    params: { merchantId: MerchantId },
    query: DecisionPageQuery,
    responses: { 200: { description: 'A page of decisions', schema: DecisionPageSchema } },
  })
  async decisions(
    @Param('merchantId', merchantIdPipe) merchantId: string,
    @Query(new ZodValidationPipe(DecisionPageQuery)) query: DecisionPageQuery,
  ): Promise<DecisionPage> {
    const manager = this.dataSource.manager;
    if (query.cursor !== undefined && !(await isLiveDecisionOf(manager, merchantId, query.cursor)))
      throw validationFailed(`cursor: does not name a decision of merchant ${merchantId}`);
    const rows = await listDecisions(manager, merchantId, query.limit + 1, query.cursor);
    const items = rows.slice(0, query.limit).map(decisionView);
    const nextCursor = rows.length > query.limit ? encodeDecisionCursor(items.at(-1)!.decisionId) : null;
    return { items, nextCursor };
  }
}
