import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MerchantId } from '@lendstream/contracts';
import { ApiError, RequireRoles, validationFailed, ZodValidationPipe } from '@lendstream/platform';
import { findCreditLine, findDecision, isLiveDecisionOf, listDecisions } from './credit-read-queries';
import { encodeDecisionCursor } from './decision-cursor';
import { DecisionPageQuery } from './decision-page-query';
import { creditLineView, CreditLineView, decisionView, DecisionView } from './credit-views';

export interface DecisionPage {
  readonly items: readonly DecisionView[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

const merchantIdPipe = new ZodValidationPipe(MerchantId);

/** A merchant's credit line and its decision history, for finance operations (role ops:read). */
@Controller('v1/merchants/:merchantId')
export class MerchantCreditController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The current line, with the decision that last changed it and that decision's reasons. */
  @Get('credit-line')
  @RequireRoles('ops:read')
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
