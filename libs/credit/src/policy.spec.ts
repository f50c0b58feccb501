import {
  CREDIT_POLICY_V1,
  CREDIT_POLICY_V2_CHALLENGER,
  CREDIT_POLICY_V3,
  CREDIT_POLICY_V3_CHALLENGER,
} from './default-policy';
import { toJsonSafe } from './json-safe';
import { CreditPolicy, gradeBandFor, gradeScoreRange } from './policy';
import { InvalidCreditPolicyError, parseCreditPolicy } from './policy-schema';
import {
  CHALLENGER_POLICY_VERSIONS,
  createPolicyRegistry,
  LIVE_POLICY_VERSION,
  livePolicy,
  policyByVersion,
  policyFingerprint,
  UnknownPolicyVersionError,
} from './policy-registry';

type Mutation = (policy: CreditPolicy) => unknown;
const mutate = (change: Mutation) => change(structuredClone(CREDIT_POLICY_V1) as CreditPolicy);

const problemsOf = (input: unknown): string[] => {
  try {
    parseCreditPolicy(input);
    return [];
  } catch (error) {
    if (error instanceof InvalidCreditPolicyError) return [...error.problems];
    throw error;
  }
};

describe('the built-in policies', () => {
  it.each([CREDIT_POLICY_V1, CREDIT_POLICY_V2_CHALLENGER, CREDIT_POLICY_V3, CREDIT_POLICY_V3_CHALLENGER])(
    '$version is valid',
    (policy) => {
      expect(parseCreditPolicy(policy)).toEqual(policy);
    },
  );

  it('accepts the JSON form (amounts as digit strings) and reads the same policy back', () => {
    const json = JSON.parse(JSON.stringify(toJsonSafe(CREDIT_POLICY_V1)));
    expect(parseCreditPolicy(json)).toEqual(CREDIT_POLICY_V1);
  });
});

describe('a bad policy names the field', () => {
  it.each<[string, Mutation, string]>([
    ['a version that is not vN', (p) => ({ ...p, version: 'one' }), 'version: must look like v1'],
    [
      'a rate above 100 %',
      (p) => ({ ...p, eligibility: { ...p.eligibility, refundRateMaxBps: 10_001 } }),
      'eligibility.refundRateMaxBps: must be at most 10000',
    ],
    [
      'a fractional threshold',
      (p) => ({ ...p, eligibility: { ...p.eligibility, tenureDaysMin: 1.5 } }),
      'eligibility.tenureDaysMin: must be a whole number',
    ],
    [
      'a negative amount',
      (p) => ({ ...p, sizing: { ...p.sizing, limitStepMinor: { CNY: -1n, USD: 1n } } }),
      'sizing.limitStepMinor.CNY: must not be negative',
    ],
    [
      'a float amount',
      (p) => ({ ...p, sizing: { ...p.sizing, limitStepMinor: { CNY: 1.5, USD: 1n } } }),
      'sizing.limitStepMinor.CNY: must be an amount in minor units',
    ],
    [
      'a zero limit step',
      (p) => ({ ...p, sizing: { ...p.sizing, limitStepMinor: { CNY: 0n, USD: 1n } } }),
      'sizing.limitStepMinor.CNY: must be at least 1',
    ],
    [
      'a cap missing a currency',
      (p) => ({
        ...p,
        grades: p.grades.map((band, index) => (index === 1 ? { ...band, capMinor: { CNY: 1n } } : band)),
      }),
      'grades.1.capMinor.USD: is required for every policy currency',
    ],
    [
      'an amount in a currency the policy does not lend in',
      (p) => ({ ...p, hysteresis: { ...p.hysteresis, limitChangeMinMinor: { CNY: 1n, USD: 1n, EUR: 1n } } }),
      'hysteresis.limitChangeMinMinor.EUR: is not one of the policy currencies',
    ],
    [
      'grades out of order',
      (p) => ({ ...p, grades: [p.grades[1], p.grades[0], ...p.grades.slice(2)] }),
      'grades.1.scoreMin: must be below the previous',
    ],
    [
      'a last grade that does not start at 0',
      (p) => ({ ...p, grades: p.grades.slice(0, 4) }),
      'grades.3.scoreMin: the last grade must start at 0',
    ],
    [
      'two grades with one name',
      (p) => ({
        ...p,
        grades: p.grades.map((band, index) => (index === 1 ? { ...band, grade: 'A' } : band)),
      }),
      'grades: grade names must be unique',
    ],
    [
      'weights that do not sum to 1 000',
      (p) => ({ ...p, score: { ...p.score, tenure: 149 } }),
      'score: weights must sum to 1000, got 999',
    ],
    [
      'a recovery at its trigger (flapping)',
      (p) => ({ ...p, unfreeze: { ...p.unfreeze, stockoutsIn7DaysMax: p.freeze.stockoutsIn7DaysMin } }),
      'unfreeze.stockoutsIn7DaysMax: must be below freeze.stockoutsIn7DaysMin',
    ],
    [
      'a spike recovery above the spike',
      (p) => ({ ...p, unfreeze: { ...p.unfreeze, gmvSpikeMaxBps: 50_000 } }),
      'unfreeze.gmvSpikeMaxBps: must be below freeze.gmvSpikeMinBps',
    ],
    [
      'an unknown field',
      (p) => ({ ...p, sizing: { ...p.sizing, advanceRateBps: 1 } }),
      'sizing: Unrecognized key',
    ],
    ['a missing section', (p) => ({ ...p, close: undefined }), 'close:'],
    [
      'tenure maturity below the tenure minimum',
      (p) => ({ ...p, score: { ...p.score, tenureMatureDays: 10 } }),
      'score.tenureMatureDays: must be at least eligibility.tenureDaysMin',
    ],
  ])('%s', (_case, change, expected) => {
    const problems = problemsOf(mutate(change));
    expect(problems.some((problem) => problem.startsWith(expected))).toBe(true);
  });

  it('names the version in the error', () => {
    expect(() => parseCreditPolicy({ ...CREDIT_POLICY_V1, summary: '' })).toThrow(
      'Invalid credit policy v1: summary: must say what the version is for',
    );
  });
});

describe('grades', () => {
  it.each([
    [1_000, 'A'],
    [800, 'A'],
    [799, 'B'],
    [650, 'B'],
    [649, 'C'],
    [500, 'C'],
    [499, 'D'],
    [400, 'D'],
    [399, 'E'],
    [0, 'E'],
  ])('score %i is grade %s', (score, grade) => {
    expect(gradeBandFor(score, CREDIT_POLICY_V1).grade).toBe(grade);
  });

  it.each([
    ['A', 800, 1_000],
    ['B', 650, 799],
    ['E', 0, 399],
  ])('grade %s spans %i..%i', (grade, scoreMin, scoreMax) => {
    expect(gradeScoreRange(grade, CREDIT_POLICY_V1)).toEqual({ scoreMin, scoreMax });
  });

  it('has no range for a grade the policy does not know', () => {
    expect(gradeScoreRange('Z', CREDIT_POLICY_V1)).toBeNull();
  });
});

describe('the policy registry', () => {
  it('serves the live policy and the challenger by version', () => {
    expect(livePolicy().version).toBe(LIVE_POLICY_VERSION);
    for (const version of CHALLENGER_POLICY_VERSIONS) expect(policyByVersion(version).version).toBe(version);
  });

  it('refuses a version it does not hold, naming the ones it does', () => {
    expect(() => policyByVersion('v9')).toThrow(UnknownPolicyVersionError);
    expect(() => policyByVersion('v9')).toThrow('known: v1, v2-challenger');
  });

  it('refuses the same version twice and an invalid policy', () => {
    expect(() => createPolicyRegistry([CREDIT_POLICY_V1, CREDIT_POLICY_V1])).toThrow('registered twice');
    expect(() => createPolicyRegistry([{ ...CREDIT_POLICY_V1, version: 'bad' }])).toThrow(
      InvalidCreditPolicyError,
    );
  });

  it('deep-freezes what it registers, so history cannot be edited in place', () => {
    const policy = policyByVersion('v1');
    expect(Object.isFrozen(policy.eligibility)).toBe(true);
    expect(Object.isFrozen(policy.grades[0]!.capMinor)).toBe(true);
  });

  // Decisions store these: a version edited in place (a field added to it, say) would make every
  // one of its stored decisions report a changed policy on replay.
  it.each([
    ['v1', 'f359e04d3037f2d2c67f075342c22baed4744865293a8fa189a384091f1ccaad'],
    ['v2-challenger', 'd21f5d97d754439eb6b94ace507443035effe8802b7af944386b5d4ea7170539'],
  ])('keeps %s exactly as its decisions used it', (version, fingerprint) => {
    expect(policyFingerprint(policyByVersion(version))).toBe(fingerprint);
  });

  it('fingerprints a policy by its content', () => {
    const fingerprint = policyFingerprint(CREDIT_POLICY_V1);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(policyFingerprint(structuredClone(CREDIT_POLICY_V1))).toBe(fingerprint);
    const edited = {
      ...CREDIT_POLICY_V1,
      eligibility: { ...CREDIT_POLICY_V1.eligibility, tenureDaysMin: 31 },
    };
    expect(policyFingerprint(edited)).not.toBe(fingerprint);
  });
});
