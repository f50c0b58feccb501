import { Module } from '@nestjs/common';
import { apiLendingPolicyProvider } from './lending-policy.provider';
import { LendingWrites } from './lending-writes';
import { LoansController } from './loans.controller';
import { MerchantLendingController } from './merchant-lending.controller';
import { PortfolioController } from './portfolio.controller';
import { TrialBalanceController } from './trial-balance.controller';

/**
 * Lending's routes of the ops API (issue 4): drawdowns and manual repayments as idempotent,
 * audited writes; loans, the portfolio and the ledger's trial balance to read. Postgres comes
 * from the API's TypeORM connection and the role guard from its AuthModule (both global).
 */
@Module({
  controllers: [MerchantLendingController, LoansController, PortfolioController, TrialBalanceController],
  providers: [apiLendingPolicyProvider, LendingWrites],
})
export class LendingRoutesModule {}
