import fc from 'fast-check';
import { CreditDecisionInput, decideCredit } from './credit-decision';
import {
  recomputeDecision,
  StoredCreditDecision,
  storedDecisionInput,
  toStoredDecision,
} from './stored-decision';
import { CREDIT_POLICY_V1 } from './default-policy';
import { evaluateCredit } from './evaluate-policy';
import { BudgetStanding } from './fit-to-budget';
import { JsonValue } from './json-safe';
import { createPolicyRegistry, POLICY_REGISTRY } from './policy-registry';
import { decodeProfileSnapshot, encodeProfileSnapshot } from './profile-snapshot';
import { lineFixture } from './testing/line-fixture';
import { profileArbitrary } from './testing/profile-arbitrary';
import { FIXTURE_AS_OF, profileFixture } from './testing/profile-fixture';

/** What a Postgres jsonb column does to a value: text out, text back in. */
const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const input = (overrides: Partial<CreditDecisionInput> = {}): CreditDecisionInput => ({
  decisionId: 'd-1',
  merchantId: 'm-000042',
  now: FIXTURE_AS_OF,
  command: { kind: 'underwrite' },
  profile: profileFixture(),
  lending: { outstandingMinor: 0n, reservedMinor: 0n, hasOverdueLoan: false },
  budget: null,
  previousLine: null,
  newCreditLineId: 'cl-1',
  ...overrides,
});

const stored = (overrides: Partial<CreditDecisionInput> = {}): StoredCreditDecision =>
  throughJson(toStoredDecision(decideCredit(input(overrides), CREDIT_POLICY_V1)));

describe('the features snapshot', () => {
  it('round-trips any profile exactly, amounts near 2^63 included', () => {
    fc.assert(
      fc.property(profileArbitrary, (profile) => {
        const decoded = decodeProfileSnapshot(throughJson(encodeProfileSnapshot(profile)));
        expect(decoded).toEqual(profile);
        const context = { now: FIXTURE_AS_OF };
        expect(evaluateCredit(decoded, CREDIT_POLICY_V1, context)).toEqual(
          evaluateCredit(profile, CREDIT_POLICY_V1, context),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('stores amounts as digit strings, never as JSON numbers', () => {
    const snapshot = encodeProfileSnapshot(
      profileFixture({ receivablesOutstandingMinor: 2n ** 63n - 1n }),
    ) as { [key: string]: JsonValue };
    expect(snapshot.receivablesOutstandingMinor).toBe('9223372036854775807');
  });

  it('refuses a snapshot with a field it does not know, or without one it needs, naming it', () => {
    const snapshot = throughJson(encodeProfileSnapshot(profileFixture())) as { [key: string]: JsonValue };
    expect(() => decodeProfileSnapshot({ ...snapshot, extra: 1 })).toThrow('Unrecognized key');
    const { inventory: _inventory, ...missing } = snapshot;
    expect(() => decodeProfileSnapshot(missing)).toThrow('inventory');
    expect(() => decodeProfileSnapshot({ ...snapshot, receivablesOutstandingMinor: 1.5 })).toThrow(
      'receivablesOutstandingMinor',
    );
  });
});

describe('recomputeDecision: replay', () => {
  const lendingArbitrary = fc.record({
    outstandingMinor: fc.bigInt({ min: 0n, max: 5_000_000n }),
    reservedMinor: fc.bigInt({ min: 0n, max: 1_000_000n }),
    hasOverdueLoan: fc.boolean(),
  });
  const budgetArbitrary: fc.Arbitrary<BudgetStanding | null> = fc.option(
    fc.record({
      budgetMinor: fc.bigInt({ min: 0n, max: 50_000_000n }),
      othersExposureMinor: fc.bigInt({ min: 0n, max: 50_000_000n }),
      othersCommittedMinor: fc.bigInt({ min: 0n, max: 10_000_000n }),
      betterRankedWantMinor: fc.bigInt({ min: 0n, max: 50_000_000n }),
      betterRankedFloorMinor: fc.bigInt({ min: 0n, max: 10_000_000n }),
    }),
  );
  const previousLineArbitrary = fc.constantFrom(
    null,
    lineFixture(),
    lineFixture({ status: 'FROZEN', automaticFreezeSince: '2026-11-01T00:00:00.000Z' }),
    lineFixture({ status: 'FROZEN', manualFreeze: true, automaticFreezeSince: null }),
    lineFixture({ status: 'CLOSED', limitMinor: 0n, automaticFreezeSince: null }),
  );

  it('recomputes every decision identically from what it stored', () => {
    fc.assert(
      fc.property(
        profileArbitrary,
        lendingArbitrary,
        budgetArbitrary,
        previousLineArbitrary,
        fc.constantFrom('v1', 'v2-challenger', 'v3', 'v3-challenger', 'v4', 'v4-challenger'),
        (profile, lending, budget, previousLine, version) => {
          const currencyFits =
            previousLine === null || profile.currency === null || profile.currency === previousLine.currency;
          fc.pre(currencyFits);
          const decision = decideCredit(
            input({ profile, lending, budget, previousLine }),
            POLICY_REGISTRY.byVersion(version),
          );
          const replay = recomputeDecision(throughJson(toStoredDecision(decision)));
          expect(replay.mismatches).toEqual([]);
          expect(replay.matches).toBe(true);
          expect(storedDecisionInput(replay.recomputed!)).toEqual(decision.input);
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each<[string, Partial<CreditDecisionInput>]>([
    [
      'a manual freeze, made without the profile store',
      {
        command: { kind: 'manual-freeze', message: 'fraud review' },
        profile: null,
        previousLine: lineFixture(),
      },
    ],
    ['a rejected manual unfreeze', { command: { kind: 'manual-unfreeze' }, previousLine: lineFixture() }],
    [
      'a manual unfreeze',
      {
        command: { kind: 'manual-unfreeze' },
        previousLine: lineFixture({ status: 'FROZEN', manualFreeze: true, automaticFreezeSince: null }),
      },
    ],
  ])('replays %s', (_case, overrides) => {
    expect(recomputeDecision(stored(overrides)).mismatches).toEqual([]);
  });

  it('reports where a stored outcome differs from the recomputed one', () => {
    const tampered = stored();
    const nextLine = tampered.outputs.nextLine as { [key: string]: JsonValue };
    const edited: StoredCreditDecision = {
      ...tampered,
      outputs: { ...tampered.outputs, nextLine: { ...nextLine, limitMinor: '2650001' } },
    };
    expect(recomputeDecision(edited)).toMatchObject({
      matches: false,
      mismatches: ['$.outputs.nextLine.limitMinor: expected "2650001", got "2650000"'],
    });
  });

  it('reports a policy edited under a version that decisions already used', () => {
    const edited = {
      ...CREDIT_POLICY_V1,
      sizing: { ...CREDIT_POLICY_V1.sizing, inventoryAdvanceRateBps: 4_000 },
    };
    const replay = recomputeDecision(stored(), createPolicyRegistry([edited]));
    expect(replay.matches).toBe(false);
    expect(replay.mismatches[0]).toMatch(/^policy v1 changed since the decision/);
    expect(replay.mismatches).toContain('$.outputs.nextLine.limitMinor: expected "2650000", got "2800000"');
  });

  it('reports, rather than throws, a decision it cannot recompute', () => {
    const unknownVersion: StoredCreditDecision = { ...stored(), policyVersion: 'v0' };
    expect(recomputeDecision(unknownVersion)).toMatchObject({
      matches: false,
      recomputed: null,
      mismatches: [expect.stringContaining('Unknown credit policy version "v0"')],
    });
  });

  it('stores the policy version and fingerprint, the features and the outcome', () => {
    const record = stored();
    expect(record).toMatchObject({
      format: 1,
      decisionId: 'd-1',
      merchantId: 'm-000042',
      policyVersion: 'v1',
      decidedAt: FIXTURE_AS_OF,
      outputs: { event: 'credit-line.granted', rejection: null },
    });
    expect(record.policyFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((record.inputs.features as { [key: string]: JsonValue }).merchantId).toBe('m-000042');
  });
});
