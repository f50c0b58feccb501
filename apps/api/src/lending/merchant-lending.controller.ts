import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { MerchantId } from '@lendstream/contracts';
import { DRAWDOWN_REFUSAL_CODES, findLoan, type LendingPolicy, loansOfMerchant } from '@lendstream/lending';
import {
  ApiDocumented,
  CurrentPrincipal,
  fingerprintOf,
  IdempotencyKey,
  type Principal,
  RequestId,
  RequireRoles,
  respondIdempotently,
  validationFailed,
  ZodValidationPipe,
} from '@lendstream/platform';
import { DrawdownViewSchema } from './drawdown-responses';
import { DrawdownBody } from './lending-bodies';
import { API_LENDING_POLICY } from './lending-policy.provider';
import { LendingWrites } from './lending-writes';
import { encodeLoanCursor, LoanPageQuery } from './loan-page-query';
import { LoanPageViewSchema } from './loan-view-schemas';
import { loanItemView, type LoanPageView } from './loan-views';

const merchantIdPipe = new ZodValidationPipe(MerchantId);

/** A merchant's drawdowns (role lending:drawdown) and its loans (role ops:read). */
@Controller('v1/merchants/:merchantId')
export class MerchantLendingController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LendingWrites) private readonly writes: LendingWrites,
    @Inject(API_LENDING_POLICY) private readonly policy: LendingPolicy,
  ) {}

  @Post('drawdowns')
  @RequireRoles('lending:drawdown')
  @ApiDocumented({
    summary: "Draw on a merchant's credit line",
    description:
      "Reserves the amount on the line and makes a loan awaiting disbursement, in one transaction with its journal entry and the disbursement.requested event treasury pays from. The Idempotency-Key is the drawdown's requestId: this call and a drawdown.requested with that requestId for the merchant are one drawdown. Concurrent drawdowns on one line never exceed what it has available. Business time: the API's clock. Audited.",
    tags: ['lending'],
    params: { merchantId: MerchantId },
    body: DrawdownBody,
    idempotent: true,
    responses: {
      201: { description: 'The loan, awaiting disbursement', schema: DrawdownViewSchema },
      409: {
        description:
          'The requestId (the Idempotency-Key) already made a loan for another amount, currency or term, or the key was used for another request',
        codes: ['REQUEST_ID_REUSED', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_PROGRESS'],
      },
      422: {
        description: 'The line cannot lend it; nothing was written (the refusal is kept with the key)',
        codes: [...DRAWDOWN_REFUSAL_CODES],
      },
    },
  })
  async drawDown(
    @Param('merchantId', merchantIdPipe) merchantId: string,
    @Body(new ZodValidationPipe(DrawdownBody)) body: DrawdownBody,
    @IdempotencyKey() idempotencyKey: string,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<unknown> {
    const outcome = await this.writes.drawDown(merchantId, body, {
      principal,
      requestId,
      idempotencyKey,
      fingerprint: fingerprintOf(request),
    });
    return respondIdempotently(response, outcome);
  }

  @Get('loans')
  @RequireRoles('ops:read')
  @ApiDocumented({
    summary: "A merchant's loans",
    description:
      'Newest first, a page at a time (pass nextCursor as cursor), each with its schedule, accrued interest and days past due as of now. Empty when none.',
    tags: ['lending'],
    params: { merchantId: MerchantId },
    query: LoanPageQuery,
    responses: { 200: { description: 'A page of loans', schema: LoanPageViewSchema } },
  })
  async loans(
    @Param('merchantId', merchantIdPipe) merchantId: string,
    @Query(new ZodValidationPipe(LoanPageQuery)) query: LoanPageQuery,
  ): Promise<LoanPageView> {
    const manager = this.dataSource.manager;
    if (query.cursor !== undefined) {
      const anchor = await findLoan(manager, query.cursor);
      if (anchor === null || anchor.loan.merchantId !== merchantId)
        throw validationFailed(`cursor: does not name a loan of merchant ${merchantId}`);
    }
    const asOf = new Date().toISOString();
    const page = await loansOfMerchant(
      manager,
      merchantId,
      { limit: query.limit, afterLoanId: query.cursor },
      asOf,
      this.policy,
    );
    return {
      asOf,
      items: page.items.map(loanItemView),
      nextCursor: page.nextAfterLoanId === null ? null : encodeLoanCursor(page.nextAfterLoanId),
    };
  }
}
