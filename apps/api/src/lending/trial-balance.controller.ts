import { Controller, Get, Inject, Query } from '@nestjs/common';
import { z } from 'zod';
import { DataSource } from 'typeorm';
import { Currency } from '@lendstream/contracts';
import { accountBalances, trialBalance } from '@lendstream/ledger';
import { ApiDocumented, RequireRoles, ZodValidationPipe } from '@lendstream/platform';
import { type TrialBalanceView, trialBalanceView, TrialBalanceViewSchema } from './trial-balance-view';

/** `?currency=CNY`: one currency only; every currency by default. */
export const TrialBalanceQuery = z.strictObject({
  currency: z.string({ error: 'must be an ISO 4217 code such as CNY' }).pipe(Currency).optional(),
});
export type TrialBalanceQuery = z.output<typeof TrialBalanceQuery>;

/** The ledger's trial balance (role ops:read): the books checked against themselves. */
@Controller('v1/ledger/trial-balance')
export class TrialBalanceController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get()
  @RequireRoles('ops:read')
  @ApiDocumented({
    summary: 'The trial balance: every ledger account, debits equal credits',
    description:
      "Every account of the chart per currency with its debits, credits and balance on its normal side, derived from the journal's lines in one statement (no balance is stored), and whether debits equal credits. `npm run ledger -- verify` checks the rest of the ledger's invariants.",
    tags: ['ledger'],
    query: TrialBalanceQuery,
    responses: { 200: { description: 'The trial balance', schema: TrialBalanceViewSchema } },
  })
  async trialBalance(
    @Query(new ZodValidationPipe(TrialBalanceQuery)) query: TrialBalanceQuery,
  ): Promise<TrialBalanceView> {
    const balances = await accountBalances(this.dataSource.manager, { currency: query.currency });
    return trialBalanceView(trialBalance(balances));
  }
}
