import type { CreditLineState } from '@lendstream/credit';
import { creditLineView, decisionView, DecisionRow } from './credit-views';

const reasons = [{ code: 'LIMIT_BY_BORROWING_BASE', message: 'limit set by receivables and inventory' }];
const row: DecisionRow = {
  decision_id: '0b6f1a52-7d7e-4f6e-9a83-2d8e0c3b7a11',
  policy_version: 'v1',
  trigger_kind: 'signal',
  trigger_source: '/lendstream/profiler',
  trigger_id: 'pc-1',
  profile_found: true,
  profile_as_of: new Date('2026-11-11T00:00:00Z'),
  decided_at: new Date('2026-11-11T00:00:01Z'),
  recorded_at: new Date('2026-11-11T00:00:01.250Z'),
  reasons,
  resulting_state: {
    creditLineId: 'c7a0d4a4-9a57-4a8e-8f7e-5b0b0d4b2c11',
    merchantId: 'm-1',
    status: 'ACTIVE',
    currency: 'CNY',
    limitMinor: '9223372036854775807',
    availableMinor: '900000',
    outstandingMinor: '100000',
    reservedMinor: '0',
    requestedLimitMinor: '1000000',
    dailyRateBps: 5,
    grade: 'A',
    score: 812,
    reasons,
    manualFreeze: false,
  },
  rejection: null,
  event_type: 'credit-line.granted',
  assessment_grade: 'A',
  assessment_score: 812,
  assessment_eligible: true,
};

describe('decisionView', () => {
  it('gives the decision with its reasons and the line it left, money as strings', () => {
    expect(decisionView(row)).toEqual({
      decisionId: row.decision_id,
      policyVersion: 'v1',
      decidedAt: '2026-11-11T00:00:01.000Z',
      recordedAt: '2026-11-11T00:00:01.250Z',
      profileAsOf: '2026-11-11T00:00:00.000Z',
      profileFound: true,
      trigger: { kind: 'signal', source: '/lendstream/profiler', id: 'pc-1' },
      event: 'credit-line.granted',
      rejection: null,
      assessment: { grade: 'A', score: 812, eligible: true },
      reasons,
      line: {
        creditLineId: 'c7a0d4a4-9a57-4a8e-8f7e-5b0b0d4b2c11',
        status: 'ACTIVE',
        currency: 'CNY',
        limitMinor: '9223372036854775807',
        availableMinor: '900000',
        outstandingMinor: '100000',
        reservedMinor: '0',
        dailyRateBps: 5,
        grade: 'A',
        score: 812,
        manualFreeze: false,
      },
    });
  });

  it('gives null for what a decision without a profile, an assessment or a line lacks', () => {
    expect(
      decisionView({
        ...row,
        profile_found: false,
        profile_as_of: null,
        resulting_state: null,
        event_type: null,
        assessment_grade: null,
        assessment_score: null,
        assessment_eligible: null,
      }),
    ).toMatchObject({ profileAsOf: null, line: null, event: null, assessment: null });
  });

  it.each([
    [
      'an amount stored as a number',
      { ...row, resulting_state: { ...(row.resulting_state as object), limitMinor: 100 } },
      'resulting_state',
    ],
    ['reasons not a list', { ...row, reasons: 'LOW_ACTIVITY' }, 'reasons'],
  ])('throws on %s: the data is wrong, not the request', (_case, corrupt, column) => {
    expect(() => decisionView(corrupt)).toThrow(
      `credit_decisions ${row.decision_id}: ${column} is not as stored`,
    );
  });
});

describe('creditLineView', () => {
  const line: CreditLineState = {
    creditLineId: 'c7a0d4a4-9a57-4a8e-8f7e-5b0b0d4b2c11',
    merchantId: 'm-1',
    currency: 'CNY',
    status: 'FROZEN',
    limitMinor: 9_007_199_254_740_993n,
    availableMinor: 0n,
    outstandingMinor: 12n,
    reservedMinor: 3n,
    requestedLimitMinor: 9_007_199_254_740_993n,
    dailyRateBps: 7,
    grade: 'B',
    score: 640,
    reasons: [{ code: 'MANUAL_FREEZE', message: 'frozen by operations' }],
    manualFreeze: true,
    automaticFreezeSince: null,
    softDeclineSince: null,
    policyVersion: 'v1',
    decisionId: row.decision_id,
    profileAsOf: '2026-11-11T00:00:00.000Z',
    decidedAt: '2026-11-11T00:00:01.000Z',
  };

  it('gives amounts beyond 2^53 as exact strings, with the last decision', () => {
    const view = creditLineView(line, new Date('2026-11-11T00:00:02Z'), decisionView(row));
    expect(view).toMatchObject({
      merchantId: 'm-1',
      status: 'FROZEN',
      limitMinor: '9007199254740993',
      availableMinor: '0',
      outstandingMinor: '12',
      reservedMinor: '3',
      manualFreeze: true,
      reasons: [{ code: 'MANUAL_FREEZE', message: 'frozen by operations' }],
      updatedAt: '2026-11-11T00:00:02.000Z',
      lastDecision: { decisionId: row.decision_id },
    });
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});
