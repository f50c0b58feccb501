import { z } from 'zod';
import { AmountMinor, Currency } from '@lendstream/contracts';
import { livePolicy } from '@lendstream/credit';

/**
 * The body of `PUT /v1/portfolio/budget`: the total exposure cap of one currency, in minor
 * units (a string of digits, or a safe JSON integer), 0 to stop new lending in it. The
 * currency must be one the live credit policy lends in: a budget for another would cap nothing.
 */
export const PortfolioBudgetBody = z.strictObject(
  {
    currency: Currency.refine((currency) => livePolicy().currencies.includes(currency), {
      error: () => `must be a currency the credit policy lends in (${livePolicy().currencies.join(', ')})`,
    }),
    budgetMinor: AmountMinor,
  },
  { error: 'must be a JSON object such as {"currency": "CNY", "budgetMinor": "50000000000"}' },
);
export type PortfolioBudgetBody = z.output<typeof PortfolioBudgetBody>;
