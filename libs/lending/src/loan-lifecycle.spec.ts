import fc from 'fast-check';
import { AccountCode, ACCOUNTS, assertBalanced, ENTRY_CODES, JournalEntryDraft } from '@lendstream/ledger';
import { accrueInterest } from './accrual';
import { Result } from '@lendstream/contracts';
import { applyLineChange, availableMinorOf, LineChange, LinePosition } from './credit-line-view';
import { failDisbursement, settleDisbursement } from './disbursement';
import { drawDown } from './draw-down';
import { collectHoldback } from './holdback';
import { LENDING_POLICY_V1 } from './lending-policy';
import { lendingPositionOf } from './lending-position';
import { isOpenLoan, Loan, LOAN_STATUSES } from './loan';
import { loanLedgerBalances } from './loan-journal';
import { LoanOutcome } from './loan-outcome';
import { reviewLoan, writeOffLoan } from './loan-review';
import { Refusal } from './refusal';
import { repayLoan } from './repayment';

/**
 * Model-based properties: any sequence of commands, legal or not, on one merchant's loans and
 * line. Refusals are values (nothing throws), every journal entry is balanced and posted once,
 * the line's reserved and outstanding never go negative and always equal what the loans say,
 * and the ledger, summed per loan, agrees with every loan's own figures.
 */
const policy = LENDING_POLICY_V1;
const START_MS = Date.parse('2026-11-11T00:00:00.000Z');
const LOAN_SLOTS = 3;

type Command =
  | { readonly kind: 'draw'; readonly amountMinor: bigint; readonly termDays: number }
  | { readonly kind: 'settle' | 'fail' | 'accrue' | 'review' | 'write-off'; readonly slot: number }
  | { readonly kind: 'repay'; readonly slot: number; readonly amountMinor: bigint }
  | { readonly kind: 'holdback'; readonly settledAmountMinor: bigint }
  | { readonly kind: 'wait'; readonly ms: number };

const slot = fc.integer({ min: 0, max: LOAN_SLOTS - 1 });
const amount = (max: bigint) => fc.oneof(fc.bigInt({ min: 0n, max: 100_000n }), fc.bigInt({ min: 0n, max }));
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('draw' as const),
      amountMinor: fc.oneof(amount(3_000_000n), fc.constantFrom(10_000n, 9_999n)),
      termDays: fc.integer({ min: 5, max: 60 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'settle' as const,
        'fail' as const,
        'accrue' as const,
        'review' as const,
        'write-off' as const,
      ),
      slot,
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('repay' as const), slot, amountMinor: amount(3_000_000n) }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('holdback' as const), settledAmountMinor: amount(20_000_000n) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.integer({ min: 0, max: 60 * 86_400_000 }),
    }),
    weight: 2,
  },
);

interface World {
  nowMs: number;
  line: LinePosition;
  readonly loans: Loan[];
  /** Every idempotency key posted so far, and the natural balance of every account per loan. */
  readonly keys: Set<string>;
  readonly balances: Map<string, Map<AccountCode, bigint>>;
  readonly codes: Set<string>;
  readonly disbursedMinor: Map<string, bigint>;
}

/** Cheap checks for the hot loop; a failure throws with what differed (fast-check then shrinks it). */
function check(holds: boolean, message: () => string): void {
  if (!holds) throw new Error(message());
}

function post(world: World, entry: JournalEntryDraft): void {
  assertBalanced(entry);
  check(!world.keys.has(entry.idempotencyKey), () => `idempotency key ${entry.idempotencyKey} posted twice`);
  world.keys.add(entry.idempotencyKey);
  world.codes.add(entry.code);
  const loanBalances = world.balances.get(entry.loanId!) ?? new Map<AccountCode, bigint>();
  world.balances.set(entry.loanId!, loanBalances);
  for (const line of entry.lines) {
    const sign = line.side === ACCOUNTS[line.account].normal ? 1n : -1n;
    loanBalances.set(line.account, (loanBalances.get(line.account) ?? 0n) + sign * line.amountMinor);
  }
}

function record(
  world: World,
  journal: readonly JournalEntryDraft[],
  lineChanges: readonly LineChange[],
  loans: readonly Loan[],
): void {
  for (const entry of journal) post(world, entry);
  for (const change of lineChanges) {
    // Throws if reserved or outstanding would go negative.
    const { availableMinor: _available, ...next } = applyLineChange(world.line, change);
    world.line = next;
  }
  for (const loan of loans) {
    const index = world.loans.findIndex((known) => known.loanId === loan.loanId);
    if (index === -1) world.loans.push(loan);
    else world.loans[index] = loan;
  }
}

type LoanStep = Exclude<Command, { readonly kind: 'draw' | 'holdback' | 'wait' }>;

function transition(
  world: World,
  loan: Loan,
  step: LoanStep,
  now: string,
): Result<LoanOutcome, Refusal<string>> {
  switch (step.kind) {
    case 'settle':
      return settleDisbursement(loan, { treasuryRef: `tr-${loan.loanId}`, settledAt: now });
    case 'fail':
      return failDisbursement(loan, { reason: 'account closed', failedAt: now });
    case 'accrue':
      return accrueInterest(loan, now, policy);
    case 'review':
      return reviewLoan(loan, now, policy);
    case 'write-off':
      return writeOffLoan(loan, now, policy);
    case 'repay':
      return repayLoan(
        loan,
        {
          repaymentId: `rp-${loan.loanId}-${world.keys.size}-${world.nowMs}`,
          amountMinor: step.amountMinor,
          currency: 'CNY',
          source: 'MANUAL',
          settlementId: null,
          collectedAt: now,
        },
        policy,
      );
  }
}

function run(world: World, step: Command): void {
  const now = new Date(world.nowMs).toISOString();
  const loanAt = (index: number): Loan | undefined => world.loans[index];
  switch (step.kind) {
    case 'wait':
      world.nowMs += step.ms;
      return;
    case 'draw': {
      const loanId = `loan-${world.loans.length}`;
      const outcome = drawDown(
        {
          merchantId: 'm-1',
          loanId,
          disbursementId: `disb-${loanId}`,
          line: {
            creditLineId: 'cl-1',
            merchantId: 'm-1',
            status: 'ACTIVE',
            currency: 'CNY',
            limitMinor: world.line.limitMinor,
            availableMinor: availableMinorOf(world.line),
            dailyRateBps: 3,
          },
          openLoanCount: world.loans.filter(isOpenLoan).length,
          request: { amountMinor: step.amountMinor, currency: 'CNY', termDays: step.termDays },
          requestedAt: now,
        },
        policy,
      );
      if (outcome.ok && world.loans.length < LOAN_SLOTS)
        record(world, outcome.value.journal, [outcome.value.lineChange], [outcome.value.loan]);
      return;
    }
    case 'holdback': {
      const outcome = collectHoldback(
        world.loans,
        {
          merchantId: 'm-1',
          settlementId: `st-${world.keys.size}-${world.nowMs}`,
          settledAmountMinor: step.settledAmountMinor,
          currency: 'CNY',
          collectedAt: now,
          repaymentIdFor: (loanId) => `rp-${loanId}-${world.nowMs}`,
        },
        policy,
      );
      if (!outcome.ok) throw new Error(`a same-currency holdback was refused: ${outcome.error.message}`);
      record(world, outcome.value.journal, outcome.value.lineChanges, outcome.value.loans);
      return;
    }
    default: {
      const loan = loanAt(step.slot);
      if (loan === undefined) return;
      const result = transition(world, loan, step, now);
      // A refusal is data: it names a stable code and changes nothing.
      if (!result.ok)
        return check(/^[A-Z_]+$/.test(result.error.code), () => `refusal code ${result.error.code}`);
      if (step.kind === 'settle') world.disbursedMinor.set(loan.loanId, loan.principalMinor);
      record(world, result.value.journal, [result.value.lineChange], [result.value.loan]);
    }
  }
}

function checkInvariants(world: World): void {
  const now = new Date(world.nowMs).toISOString();
  // The line's amounts are exactly what the loans hold, and never negative.
  const position = lendingPositionOf(world.loans, now);
  check(
    world.line.reservedMinor === position.reservedMinor &&
      world.line.outstandingMinor === position.outstandingMinor,
    () =>
      `line ${world.line.reservedMinor}/${world.line.outstandingMinor}, loans ${position.reservedMinor}/${position.outstandingMinor}`,
  );
  check(world.line.reservedMinor >= 0n && world.line.outstandingMinor >= 0n, () => 'the line went negative');
  for (const loan of world.loans) {
    const balances = world.balances.get(loan.loanId) ?? new Map<AccountCode, bigint>();
    for (const [account, expected] of Object.entries(loanLedgerBalances(loan))) {
      const posted = balances.get(account as AccountCode) ?? 0n;
      check(posted === expected, () => `${loan.loanId} ${account}: ledger ${posted}, loan ${expected}`);
    }
    // Pooled accounts: what came back (treasury or holdbacks) less what was paid out.
    const pooled =
      (balances.get('TREASURY_CLEARING') ?? 0n) + (balances.get('SETTLEMENT_HOLDBACKS_RECEIVABLE') ?? 0n);
    const expected =
      loan.principalRepaidMinor + loan.interestRepaidMinor - (world.disbursedMinor.get(loan.loanId) ?? 0n);
    check(pooled === expected, () => `${loan.loanId} pooled: ledger ${pooled}, loan ${expected}`);
  }
}

describe('any sequence of commands on a merchant’s loans', () => {
  it('keeps the books balanced, the line non-negative and in step with the loans, the ledger in step with each loan', () => {
    const reached = new Set<string>();
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 60, size: 'max' }), (commands) => {
        const world: World = {
          nowMs: START_MS,
          line: {
            creditLineId: 'cl-1',
            status: 'ACTIVE',
            limitMinor: 5_000_000n,
            reservedMinor: 0n,
            outstandingMinor: 0n,
          },
          loans: [],
          keys: new Set(),
          balances: new Map(),
          codes: new Set(),
          disbursedMinor: new Map(),
        };
        for (const step of commands) {
          run(world, step);
          checkInvariants(world);
        }
        for (const loan of world.loans) reached.add(loan.status);
        for (const code of world.codes) reached.add(code);
      }),
      { numRuns: 200 },
    );
    // The generator reaches every status and every kind of movement, or the properties above prove little.
    expect([...reached].sort()).toEqual([...LOAN_STATUSES, ...ENTRY_CODES].sort());
  });
});
