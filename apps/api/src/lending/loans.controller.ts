import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { type LendingPolicy, loanById, REPAYMENT_REFUSAL_CODES } from '@lendstream/lending';
import {
  ApiDocumented,
  ApiError,
  CurrentPrincipal,
  fingerprintOf,
  IdempotencyKey,
  type Principal,
  RequestId,
  RequireRoles,
  respondIdempotently,
  ZodValidationPipe,
} from '@lendstream/platform';
import { LoanId, RepaymentBody } from './lending-bodies';
import { API_LENDING_POLICY } from './lending-policy.provider';
import { LendingWrites } from './lending-writes';
import { LoanDetailViewSchema } from './loan-view-schemas';
import { loanDetailView, type LoanDetailView } from './loan-views';
import { RepaymentOutcomeViewSchema } from './repayment-responses';

const loanIdPipe = new ZodValidationPipe(LoanId);
const LOAN_NOT_FOUND = { description: 'No loan has this id', codes: ['LOAN_NOT_FOUND'] };

/** One loan (role ops:read) and its manual repayments (role lending:repay). */
@Controller('v1/loans/:loanId')
export class LoansController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LendingWrites) private readonly writes: LendingWrites,
    @Inject(API_LENDING_POLICY) private readonly policy: LendingPolicy,
  ) {}

  @Get()
  @RequireRoles('ops:read')
  @ApiDocumented({
    summary: 'A loan',
    description:
      'The loan with its schedule (a bullet loan: principal and interest due together), the interest accrued and not yet paid (and the interest of ended days not posted yet), days past due and its bucket as of now, and its repayments, oldest first.',
    tags: ['lending'],
    params: { loanId: LoanId },
    responses: { 200: { description: 'The loan', schema: LoanDetailViewSchema }, 404: LOAN_NOT_FOUND },
  })
  async loan(@Param('loanId', loanIdPipe) loanId: string): Promise<LoanDetailView> {
    const asOf = new Date().toISOString();
    const detail = await loanById(this.dataSource.manager, loanId, asOf, this.policy);
    if (detail === null) throw new ApiError(404, 'LOAN_NOT_FOUND', `no loan has id ${loanId}`);
    return loanDetailView(detail, asOf);
  }

  @Post('repayments')
  @RequireRoles('lending:repay')
  @ApiDocumented({
    summary: 'Repay a loan by hand',
    description:
      "Money the merchant paid back outside settlements: interest first (brought up to date), then principal; the repaid principal returns to the line. More than the loan owes is refused, not capped (the message says what is owed). Emits repayment.collected (and loan.repaid once nothing is owed). Business time: the API's clock. Audited.",
    tags: ['lending'],
    params: { loanId: LoanId },
    body: RepaymentBody,
    idempotent: true,
    responses: {
      201: { description: 'How it was applied, and the loan after it', schema: RepaymentOutcomeViewSchema },
      404: LOAN_NOT_FOUND,
      409: {
        description: 'The key was used for another request',
        codes: ['REPAYMENT_KEY_REUSED', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_PROGRESS'],
      },
      422: {
        description: 'The loan cannot take it; nothing was written (the refusal is kept with the key)',
        codes: [...REPAYMENT_REFUSAL_CODES],
      },
    },
  })
  async repay(
    @Param('loanId', loanIdPipe) loanId: string,
    @Body(new ZodValidationPipe(RepaymentBody)) body: RepaymentBody,
    @IdempotencyKey() idempotencyKey: string,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<unknown> {
    const outcome = await this.writes.repay(loanId, body, {
      principal,
      requestId,
      idempotencyKey,
      fingerprint: fingerprintOf(request),
    });
    return respondIdempotently(response, outcome);
  }
}
