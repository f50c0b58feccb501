import { Body, Controller, Get, Inject, Put, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { formatAmountMinor } from '@lendstream/contracts';
import { readPortfolioBudgets, setPortfolioBudget } from '@lendstream/credit';
import {
  ApiDocumented,
  auditTarget,
  CurrentPrincipal,
  fingerprintOf,
  IdempotencyKey,
  type Principal,
  recordAuditEntry,
  RequestId,
  RequireRoles,
  respondIdempotently,
  runIdempotent,
  ZodValidationPipe,
} from '@lendstream/platform';
import { randomUUID } from 'node:crypto';
import { PortfolioBudgetBody } from './portfolio-budget-body';
import {
  budgetAuditState,
  PortfolioBudgetChangeViewSchema,
  PortfolioBudgetsView,
  PortfolioBudgetsViewSchema,
  portfolioBudgetView,
} from './portfolio-budget-views';

const PUT_ROUTE = 'PUT /v1/portfolio/budget';

/**
 * The portfolio budget, treasury's cap on total exposure per currency (role treasury). A new
 * budget takes effect on the next decisions: the underwriter reads it per batch, under its lock.
 */
@Controller('v1/portfolio/budget')
export class PortfolioBudgetController {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  @Get()
  @RequireRoles('treasury')
  @ApiDocumented({
    summary: 'The portfolio budget of every currency',
    tags: ['portfolio'],
    responses: { 200: { description: 'Every currency with a budget', schema: PortfolioBudgetsViewSchema } },
  })
  async budgets(): Promise<PortfolioBudgetsView> {
    return { items: (await readPortfolioBudgets(this.dataSource.manager)).map(portfolioBudgetView) };
  }

  @Put()
  @RequireRoles('treasury')
  @ApiDocumented({
    summary: "Set a currency's portfolio budget",
    description:
      'The cap on the total exposure of every line in the currency. Audited with the budget before and after. It takes effect on the next decisions; a lower budget trims lines (best-ranked merchants keep the most) as the budget sweep re-decides them.',
    tags: ['portfolio'],
    body: PortfolioBudgetBody,
    idempotent: true,
    responses: {
      200: { description: 'The budget as set, with the one before', schema: PortfolioBudgetChangeViewSchema },
    },
  })
  async setBudget(
    @Body(new ZodValidationPipe(PortfolioBudgetBody)) body: PortfolioBudgetBody,
    @IdempotencyKey() key: string,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<unknown> {
    const outcome = await runIdempotent(
      this.dataSource,
      { scope: `${PUT_ROUTE}|${principal.subject}`, key, fingerprint: fingerprintOf(request) },
      async (manager) => {
        const { before, after } = await setPortfolioBudget(
          manager,
          body.currency,
          body.budgetMinor,
          principal.subject,
        );
        await recordAuditEntry(manager, {
          auditId: randomUUID(),
          subject: principal.subject,
          roles: principal.roles,
          action: 'portfolio-budget.set',
          route: PUT_ROUTE,
          target: auditTarget('portfolio-budget', body.currency),
          requestId,
          idempotencyKey: key,
          request: { currency: body.currency, budgetMinor: formatAmountMinor(body.budgetMinor) },
          before: budgetAuditState(before),
          after: budgetAuditState(after),
        });
        return {
          status: 200,
          body: {
            ...portfolioBudgetView(after),
            previousBudgetMinor: before === null ? null : formatAmountMinor(before.budgetMinor),
          },
        };
      },
    );
    return respondIdempotently(response, outcome);
  }
}
