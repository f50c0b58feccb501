import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { formatAmountMinor } from '@lendstream/contracts';
import {
  findLoan,
  type LendingPolicy,
  type Loan,
  lockLendingLine,
  lockLoans,
  repayManually,
  requestDrawdown,
} from '@lendstream/lending';
import {
  auditTarget,
  type IdempotentOutcome,
  type Principal,
  recordAuditEntry,
  runIdempotent,
} from '@lendstream/platform';
import { drawdownResponse, lineAfterDrawdown, lineAuditState } from './drawdown-responses';
import type { DrawdownBody, RepaymentBody } from './lending-bodies';
import { API_LENDING_POLICY } from './lending-policy.provider';
import { repaymentView } from './loan-views';
import { repaymentKeyOf } from './repayment-key';
import { loanAuditState, repaymentResponse } from './repayment-responses';

export const DRAWDOWN_ROUTE = 'POST /v1/merchants/:merchantId/drawdowns';
export const REPAYMENT_ROUTE = 'POST /v1/loans/:loanId/repayments';

/** Who asked, and the request as it came: for the idempotency key and the audit entry. */
export interface LendingWriteContext {
  readonly principal: Principal;
  readonly requestId: string;
  readonly idempotencyKey: string;
  /** fingerprintOf(request): method, path and body. */
  readonly fingerprint: string;
}

/**
 * Drawdowns and manual repayments as idempotent, audited writes: one transaction holds the
 * idempotency key, lending's whole change (line, loan, journal, outbox) and the audit entry, so
 * they commit together or not at all. A refusal is a response stored with the key, with no
 * effect and no audit entry. Business time is the wall clock at the write.
 */
@Injectable()
export class LendingWrites {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(API_LENDING_POLICY) private readonly policy: LendingPolicy,
  ) {}

  /**
   * The drawdown's requestId is the Idempotency-Key itself: with the merchant it names the loan
   * (lendingIds.loan), so this call and a `drawdown.requested` with that requestId are one
   * drawdown, whichever comes first.
   */
  drawDown(merchantId: string, body: DrawdownBody, context: LendingWriteContext): Promise<IdempotentOutcome> {
    return runIdempotent(
      this.dataSource,
      this.idempotentRequest(DRAWDOWN_ROUTE, context),
      async (manager) => {
        const requestedAt = new Date().toISOString();
        // The line is locked before the drawdown looks at it (requestDrawdown locks it again, a
        // no-op), so the state the audit entry calls "before" is the one the drawdown saw.
        const before = await lockLendingLine(manager, merchantId);
        const result = await requestDrawdown(
          manager,
          { merchantId, requestId: context.idempotencyKey, request: body, requestedAt },
          this.policy,
        );
        if (result.kind === 'created') {
          if (before === null)
            throw new Error(`a loan was made on ${merchantId}'s line, which was not there`);
          await recordAuditEntry(manager, {
            ...this.auditBase(context, DRAWDOWN_ROUTE),
            action: 'loan.draw',
            target: auditTarget('merchant', merchantId),
            request: {
              amountMinor: formatAmountMinor(body.amountMinor),
              currency: body.currency,
              termDays: body.termDays,
            },
            before: { line: lineAuditState(before) },
            after: { line: lineAfterDrawdown(before, result.loan), loan: loanAuditState(result.loan) },
          });
        }
        return drawdownResponse(result);
      },
    );
  }

  repay(loanId: string, body: RepaymentBody, context: LendingWriteContext): Promise<IdempotentOutcome> {
    return runIdempotent(
      this.dataSource,
      this.idempotentRequest(REPAYMENT_ROUTE, context),
      async (manager) => {
        const collectedAt = new Date().toISOString();
        const before = await this.lockLoan(manager, loanId);
        const result = await repayManually(
          manager,
          {
            loanId,
            idempotencyKey: repaymentKeyOf(context.principal.subject, context.idempotencyKey),
            request: body,
            collectedAt,
          },
          this.policy,
        );
        if (result.kind === 'repaid') {
          if (before === null) throw new Error(`loan ${loanId} was repaid but was not there when locked`);
          await recordAuditEntry(manager, {
            ...this.auditBase(context, REPAYMENT_ROUTE),
            action: 'loan.repay',
            target: auditTarget('loan', loanId),
            request: { amountMinor: formatAmountMinor(body.amountMinor), currency: body.currency },
            before: { loan: loanAuditState(before) },
            after: { loan: loanAuditState(result.loan), repayment: repaymentView(result.repayment) },
          });
        }
        return repaymentResponse(result, collectedAt, this.policy);
      },
    );
  }

  /**
   * The loan, locked the way lending's writers lock it (its merchant's line first, then the
   * loan), so that the state the audit entry calls "before" is the one the repayment saw; null
   * when no loan has the id (repayManually answers LOAN_NOT_FOUND).
   */
  private async lockLoan(manager: EntityManager, loanId: string): Promise<Loan | null> {
    const found = await findLoan(manager, loanId);
    if (found === null) return null;
    await lockLendingLine(manager, found.loan.merchantId);
    const [loan] = await lockLoans(manager, [loanId]);
    return loan ?? null;
  }

  private idempotentRequest(route: string, context: LendingWriteContext) {
    return {
      scope: `${route}|${context.principal.subject}`,
      key: context.idempotencyKey,
      fingerprint: context.fingerprint,
    };
  }

  private auditBase(context: LendingWriteContext, route: string) {
    return {
      auditId: randomUUID(),
      subject: context.principal.subject,
      roles: context.principal.roles,
      route,
      requestId: context.requestId,
      idempotencyKey: context.idempotencyKey,
    };
  }
}
