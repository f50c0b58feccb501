/**
 * What the underwriter did with the simulated market, printed for people: lines by grade,
 * exposure against the budget, why merchants were refused, cut or frozen, the events finance
 * saw, and the timeline of a merchant frozen mid-run by its stock-outs. Reads the demo's own
 * database (the lines and decisions) and the events a consumer of scf.credit-lines.v1 got.
 */
import type { SimulatedMerchant } from '@lendstream/simulation';
import type { DataSource } from 'typeorm';
import type { ArrivedCreditLineEvent } from '../lib/credit-line-collector';
import { formatBasisPoints, formatMoney, table } from '../lib/format';

interface StoredReason {
  readonly code: string;
}

const DAY_MS = 86_400_000;

export async function printLinesByGrade(db: DataSource, currency: string): Promise<void> {
  const rows: { grade: string; status: string; lines: number; total: string; rates: string }[] =
    await db.query(
      `SELECT grade, status, count(*)::int AS lines, sum(limit_minor)::text AS total,
              string_agg(DISTINCT daily_rate_bps::text, '/') AS rates
         FROM credit_lines WHERE currency = $1 AND status <> 'CLOSED'
        GROUP BY grade, status ORDER BY grade, status`,
      [currency],
    );
  console.log(`\nCredit lines by grade (open lines, ${currency})\n`);
  console.log(
    table(
      ['grade', 'status', 'lines', 'total limit', 'daily rate (bps)'],
      rows.map((row) => [
        row.grade,
        row.status,
        String(row.lines),
        formatMoney(BigInt(row.total), currency),
        row.rates,
      ]),
    ),
  );
}

export async function printExposure(db: DataSource, currency: string): Promise<void> {
  const [budget]: { budget: string }[] = await db.query(
    `SELECT budget_minor::text AS budget FROM portfolio_budget WHERE currency = $1`,
    [currency],
  );
  const [sums]: { limits: string; requested: string; squeezed: number }[] = await db.query(
    `SELECT coalesce(sum(limit_minor), 0)::text AS limits,
            coalesce(sum(requested_limit_minor), 0)::text AS requested,
            count(*) FILTER (WHERE reasons @> '[{"code":"PORTFOLIO_BUDGET"}]')::int AS squeezed
       FROM credit_lines WHERE currency = $1 AND status <> 'CLOSED'`,
    [currency],
  );
  const budgetMinor = BigInt(budget?.budget ?? '0');
  const exposure = BigInt(sums!.limits);
  const used = budgetMinor === 0n ? null : Number((exposure * 10_000n) / budgetMinor);
  console.log(
    `\nExposure ${formatMoney(exposure, currency)} of a ${formatMoney(budgetMinor, currency)} budget (${formatBasisPoints(used)}); ` +
      `the policy offered ${formatMoney(BigInt(sums!.requested), currency)} before the budget. ` +
      (sums!.squeezed > 0
        ? `The budget bound: ${sums!.squeezed} lines hold less than offered (PORTFOLIO_BUDGET).`
        : 'The budget did not bind: no line holds less than the policy offered.'),
  );
}

/** Counts, by outcome and reason code, why merchants hold no line, a line at 0, or a frozen line. */
export async function printRefusalsAndFreezes(db: DataSource): Promise<void> {
  const lines: { status: string; limit: string; reasons: StoredReason[] }[] = await db.query(
    `SELECT status, limit_minor::text AS limit, reasons FROM credit_lines
      WHERE status = 'FROZEN' OR (status = 'ACTIVE' AND (limit_minor = 0 OR reasons @> '[{"code":"PORTFOLIO_BUDGET"}]'))`,
  );
  // A refused merchant has no line: its newest live decision says why.
  const refused: { reasons: StoredReason[] }[] = await db.query(
    `SELECT DISTINCT ON (merchant_id) reasons FROM credit_decisions d
      WHERE NOT shadow AND NOT EXISTS (SELECT 1 FROM credit_lines l WHERE l.merchant_id = d.merchant_id)
      ORDER BY merchant_id, decided_at DESC, recorded_at DESC`,
  );
  const counts = new Map<string, number>();
  const count = (outcome: string, reasons: readonly StoredReason[]) => {
    for (const code of new Set(reasons.map((reason) => reason.code))) {
      if (code.startsWith('LIMIT_')) continue; // says what sized a line, not why it was held back
      const key = `${outcome}\u0000${code}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  };
  for (const line of lines) {
    const outcome =
      line.status === 'FROZEN' ? 'frozen' : line.limit === '0' ? 'active, cut to 0' : 'active, squeezed';
    count(outcome, line.reasons);
  }
  for (const decision of refused) count('refused (no line)', decision.reasons);
  const rows = [...counts]
    .map(([key, merchants]) => [...key.split('\u0000'), String(merchants)])
    .sort((a, b) => a[0]!.localeCompare(b[0]!) || Number(b[2]) - Number(a[2]));
  console.log(
    `\nWhy lines were refused, cut, squeezed or frozen (merchants per reason code, as things stand at the end)\n`,
  );
  console.log(table(['outcome', 'reason', 'merchants'], rows));
}

export function printEventCounts(events: readonly ArrivedCreditLineEvent[]): void {
  const byType = new Map<string, number>();
  for (const { event } of events) byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
  const merchants = new Set(events.map(({ event }) => event.subject)).size;
  console.log(
    `\nscf.credit-lines.v1 as a consumer saw it: ${events.length} events about ${merchants} merchants\n`,
  );
  console.log(
    table(
      ['event type', 'count'],
      [...byType].sort().map(([type, total]) => [type, String(total)]),
    ),
  );
}

/** The first stock-out-prone merchant granted a line and later frozen with a STOCKOUT_ reason. */
export function printFrozenMidRun(
  events: readonly ArrivedCreditLineEvent[],
  roster: readonly SimulatedMerchant[],
  marketStart: string,
): void {
  const startMs = Date.parse(marketStart);
  const dayOf = (time: string) => Math.floor((Date.parse(time) - startMs) / DAY_MS) + 1;
  const isStockoutFreeze = ({ event }: ArrivedCreditLineEvent) =>
    event.type === 'credit-line.frozen' &&
    event.data.reasons.some((reason) => reason.code.startsWith('STOCKOUT_'));
  const frozenMerchants = roster.filter((merchant) => {
    const own = events.filter(({ event }) => event.subject === merchant.merchantId);
    const granted = own.findIndex(({ event }) => event.type === 'credit-line.granted');
    return granted >= 0 && own.slice(granted + 1).some(isStockoutFreeze);
  });
  const byArchetype = new Map<string, number>();
  for (const merchant of frozenMerchants)
    byArchetype.set(merchant.archetype, (byArchetype.get(merchant.archetype) ?? 0) + 1);
  console.log(
    `\nMerchants granted a line and frozen later for stock-outs: ${frozenMerchants.length} ` +
      `(${[...byArchetype].map(([archetype, total]) => `${archetype} ${total}`).join(', ') || 'none'})`,
  );
  // Best shown: a line frozen while it still had a limit (not one a soft rule had cut to 0 first).
  const frozenWithLimit = (merchant: SimulatedMerchant) =>
    events.some(
      (arrived) =>
        arrived.event.subject === merchant.merchantId &&
        isStockoutFreeze(arrived) &&
        arrived.event.data.limitMinor > 0n,
    );
  const shown =
    frozenMerchants.find(
      (merchant) => merchant.archetype === 'stockout-prone' && frozenWithLimit(merchant),
    ) ??
    frozenMerchants.find(frozenWithLimit) ??
    frozenMerchants[0];
  if (shown === undefined) {
    console.log('No merchant was frozen for stock-outs in this run (try more merchants or days).');
    return;
  }
  const timeline = events.filter(({ event }) => event.subject === shown.merchantId);
  console.log(`\nTimeline of ${shown.merchantId} (${shown.archetype}), by event-time day of the market\n`);
  console.log(
    table(
      ['day', 'event', 'status', 'limit', 'available', 'grade', 'daily rate', 'reasons'],
      timeline.map(({ event }) => [
        String(dayOf(event.data.profileAsOf)),
        event.type.replace('credit-line.', ''),
        event.data.status,
        formatMoney(event.data.limitMinor, event.data.currency),
        formatMoney(event.data.availableMinor, event.data.currency),
        event.data.grade,
        `${event.data.dailyRateBps} bps`,
        event.data.reasons.map((reason) => reason.code).join(', '),
      ]),
    ),
  );
  const frozen = timeline.find(isStockoutFreeze);
  const stockout = frozen?.event.data.reasons.find((reason) => reason.code.startsWith('STOCKOUT_'));
  if (stockout !== undefined) console.log(`  frozen because: ${stockout.message}`);
}
