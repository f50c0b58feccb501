import {
  accruedOncePerDay,
  atMostSent,
  canonicalJson,
  duplicatesIdentical,
  everyBadMessageDeadLettered,
  everyInputApplied,
  everyOutboxRowPublished,
  goodInputsNotDeadLettered,
  identityKey,
  killsLandedMidAccrual,
  LoanAccrual,
  ledgerVerifies,
  noLineRaised,
  noPartitionBehind,
  noServerErrors,
  onceEach,
  profilesEqualControl,
  unchanged,
} from './checks';

/**
 * Every check of the chaos run, handed a healthy state (it passes) and a deliberately broken
 * one (it fails, naming the problem). A check that passes on both proves nothing.
 */
describe('the chaos checks catch a broken state', () => {
  const signal = { source: '/lendstream/profiler', id: 'signal-1' };
  const loanEvent = { source: '/lendstream/lending', id: 'loan-1' };

  it.each([
    ['every input in the inbox', [signal, loanEvent], [signal, loanEvent], [], true],
    ['an input refused with a dead letter', [signal, loanEvent], [signal], [loanEvent], true],
    ['an input neither applied nor refused (lost)', [signal, loanEvent], [signal], [], false],
    ['no input at all (nothing examined)', [], [], [], false],
  ])('no input lost: %s', (_case, sent, inbox, refused, passes) => {
    const checked = everyInputApplied({
      consumer: 'underwriter',
      sent,
      inbox: new Set(inbox.map(identityKey)),
      refused: new Set(refused.map(identityKey)),
    });
    expect(checked.passed).toBe(passes);
    if (!passes && sent.length > 0) expect(checked.problems[0]).toContain('loan-1');
  });

  it.each([
    ['the same profiles', '{"paid":3}', '{"paid":3}', true],
    ['an event counted twice', '{"paid":4}', '{"paid":3}', false],
    ['an event lost', '{"paid":2}', '{"paid":3}', false],
    ['a merchant with no live profile', null, '{"paid":3}', false],
  ])('profiles equal the rebuild: %s', (_case, live, control, passes) => {
    const checked = profilesEqualControl([
      { merchantId: 'm-1', live: '{"paid":1}', control: '{"paid":1}' },
      { merchantId: 'm-2', live, control },
    ]);
    expect(checked.passed).toBe(passes);
    if (!passes) expect(checked.problems[0]).toContain('m-2');
  });

  it.each([
    ['one row per key', [1, 1, 1], true],
    ['a duplicated decision row', [1, 2, 1], false],
    ['a key with no row', [1, 0, 1], false],
    ['no rows at all', [], false],
  ])('once each: %s', (_case, counts, passes) => {
    const checked = onceEach(
      'one live decision per trigger',
      counts.map((count, index) => ({ key: `signal ${index}`, count })),
    );
    expect(checked.passed).toBe(passes);
  });

  it.each([
    ['fewer loans than requests (some refused)', 3, 5, true],
    ['as many', 5, 5, true],
    ['more loans than requests', 6, 5, false],
  ])('effects counted against events sent: %s', (_case, effects, sent, passes) => {
    expect(atMostSent('loans', effects, sent).passed).toBe(passes);
  });

  const message = (id: string, payload = `{"id":"${id}"}`) => ({ topic: 'scf.loans.v1', id, payload });

  it.each([
    [
      'published and on the topic',
      [{ eventId: 'e-1', topic: 'scf.loans.v1', published: true }],
      [message('e-1')],
      true,
    ],
    [
      'a row never published (a missing publish)',
      [{ eventId: 'e-1', topic: 'scf.loans.v1', published: false }],
      [message('e-1')],
      false,
    ],
    [
      'marked published but not on the topic',
      [{ eventId: 'e-1', topic: 'scf.loans.v1', published: true }],
      [message('e-2')],
      false,
    ],
    [
      'on another topic',
      [{ eventId: 'e-1', topic: 'scf.loans.v1', published: true }],
      [{ ...message('e-1'), topic: 'scf.repayments.v1' }],
      false,
    ],
  ])('no output missing: %s', (_case, outbox, messages, passes) => {
    expect(everyOutboxRowPublished(outbox, messages).passed).toBe(passes);
  });

  it.each([
    ['no duplicates', [message('e-1'), message('e-2')], true],
    ['a duplicate with the same payload', [message('e-1'), message('e-1')], true],
    [
      'a duplicate id with another payload',
      [message('e-1'), message('e-1', '{"id":"e-1","amount":"2"}')],
      false,
    ],
    ['a message with no id', [{ topic: 'scf.loans.v1', id: null, payload: '[]' }], false],
  ])('duplicates identical: %s', (_case, messages, passes) => {
    expect(duplicatesIdentical(messages).passed).toBe(passes);
  });

  it.each([
    ['every partition at its end', 10n, true],
    ['a stalled partition', 9n, false],
  ])('consumer lag: %s', (_case, committed, passes) => {
    const lags = [
      { group: 'profiler', topic: 'scf.orders.v1', partition: 0, committed: 5n, end: 5n },
      { group: 'lending', topic: 'scf.orders.v1', partition: 1, committed, end: 10n },
    ];
    expect(noPartitionBehind(lags).passed).toBe(passes);
  });

  it.each([
    ['verify passes', 0, true],
    ['verify finds a breach (an unbalanced journal)', 1, false],
    ['verify could not run', null, false],
  ])('ledger verify: %s', (_case, exitCode, passes) => {
    expect(ledgerVerifies(exitCode, 'BREACH journal entry unbalanced').passed).toBe(passes);
  });

  const letter = (marker: string, service: string, reason = 'NOT_JSON') => ({
    marker,
    service,
    reason,
    sourceTopic: 'x',
  });
  it.each([
    ['each consumer dead-lettered it', [letter('bad-1', 'profiler'), letter('bad-1', 'lending')], true],
    ['one consumer dropped it silently', [letter('bad-1', 'profiler')], false],
    ['a dead letter without a reason', [letter('bad-1', 'profiler'), letter('bad-1', 'lending', '')], false],
    ['dead letters of good inputs only', [{ ...letter('bad-1', 'profiler'), marker: null }], false],
  ])('every bad message dead-lettered: %s', (_case, letters, passes) => {
    const sent = [{ marker: 'bad-1', topic: 'scf.orders.v1', consumers: ['profiler', 'lending'] }];
    expect(everyBadMessageDeadLettered(sent, letters).passed).toBe(passes);
  });

  it.each([
    ['the same figures', { loans: 3, lines: 'ab' }, true],
    ['a second effect on redelivery', { loans: 4, lines: 'ab' }, false],
    ['a line changed', { loans: 3, lines: 'ac' }, false],
    ['a figure gone', { loans: 3 }, false],
  ])('unchanged: %s', (_case, after, passes) => {
    const checked = unchanged('redelivery', { loans: 3, lines: 'ab' }, after);
    expect(checked.passed).toBe(passes);
  });

  it.each([
    ['4xx only', [400, 401, 404, 409, 413, 415, 422], true],
    ['a 500', [400, 500], false],
    ['a request with no answer', [400, 0], false],
  ])('no 5xx: %s', (_case, statuses, passes) => {
    expect(noServerErrors(statuses.map((status) => ({ route: 'POST /v1/x', status }))).passed).toBe(passes);
  });

  it('canonical JSON ignores key order and writes bigints as strings', () => {
    expect(canonicalJson({ b: 1, a: { d: 2n, c: [1, { f: 1, e: 2 }] } })).toBe(
      canonicalJson({ a: { c: [1, { e: 2, f: 1 }], d: '2' }, b: 1 }),
    );
  });
});

describe('fail closed after a Redis loss', () => {
  const change = (
    beforeStatus: string | null,
    beforeLimit: string | null,
    afterStatus: string,
    afterLimit: string,
  ) => ({
    merchantId: 'm-1',
    trigger: 'signal',
    beforeStatus,
    beforeLimit,
    afterStatus,
    afterLimit,
  });
  it.each([
    ['a line held', [change('ACTIVE', '5000', 'ACTIVE', '5000')], true],
    ['a line cut', [change('ACTIVE', '5000', 'ACTIVE', '0')], true],
    ['a line frozen', [change('ACTIVE', '5000', 'FROZEN', '5000')], true],
    ['a limit raised', [change('ACTIVE', '5000', 'ACTIVE', '5001')], false],
    ['a line granted', [change(null, null, 'ACTIVE', '5000')], false],
    ['a line unfrozen', [change('FROZEN', '5000', 'ACTIVE', '5000')], false],
    ['no decision at all', [], false],
  ])('%s', (_case, changes, passes) => {
    expect(noLineRaised(changes).passed).toBe(passes);
  });
});

describe('transient failures are never dead-lettered', () => {
  const letter = (marker: string | null, reason: string) => ({
    marker,
    service: 'lending',
    reason,
    sourceTopic: 'scf.orders.v1',
  });
  it.each([
    [
      'bad messages and business refusals only',
      [letter('bad-1', 'NOT_JSON'), letter(null, 'DRAWDOWN_REFUSED')],
      true,
    ],
    [
      'a good input dead-lettered with a contract reason (a transient failure misfiled)',
      [letter(null, 'SCHEMA_VIOLATION')],
      false,
    ],
    ['a good input dead-lettered with no reason', [letter(null, '')], false],
  ])('%s', (_case, letters, passes) => {
    expect(goodInputsNotDeadLettered(letters, 100).passed).toBe(passes);
  });
});

/**
 * Lending's review on the simulated calendar, killed mid-accrual: each broken build below is
 * one a kill could expose (a day posted again by the restarted review under another key, a
 * chunk whose row advanced without its entry, a review never run again after the kill, interest
 * on a day the clock has not ended) and the check must name it.
 */
describe('every loan accrued once per day', () => {
  // Disbursed on the 3rd, the clock at the start of the 7th: the 3rd to the 6th accrue, 10 minor each.
  const healthy: LoanAccrual = {
    loanId: 'loan-1',
    firstDay: '2026-09-03',
    expectedLastDay: '2026-09-06',
    rowLastDay: '2026-09-06',
    postedDays: ['2026-09-03', '2026-09-04', '2026-09-05', '2026-09-06'],
    mayPostNothing: new Set(),
    postedMinor: 40n,
    rowAccruedMinor: 40n,
  };
  const neverDisbursed: LoanAccrual = {
    loanId: 'loan-2',
    firstDay: null,
    expectedLastDay: null,
    rowLastDay: null,
    postedDays: [],
    mayPostNothing: new Set(),
    postedMinor: 0n,
    rowAccruedMinor: 0n,
  };
  it.each<[string, Partial<LoanAccrual>, boolean, string | null]>([
    ['each day once', {}, true, null],
    [
      'a day posted twice (the restarted review posts it again under another key)',
      { postedDays: [...healthy.postedDays, '2026-09-05'], postedMinor: 50n, rowAccruedMinor: 50n },
      false,
      '2026-09-05 accrued 2 times',
    ],
    [
      'a day never posted (a killed chunk advanced the row but lost its entry)',
      { postedDays: ['2026-09-03', '2026-09-04', '2026-09-06'], postedMinor: 30n, rowAccruedMinor: 30n },
      false,
      '2026-09-05 never accrued',
    ],
    [
      'a day with no entry whose interest may round to 0',
      {
        postedDays: ['2026-09-03', '2026-09-04', '2026-09-06'],
        mayPostNothing: new Set(['2026-09-05']),
        postedMinor: 30n,
        rowAccruedMinor: 30n,
      },
      true,
      null,
    ],
    [
      'the review not run again after the kill (the last day missing, the row behind)',
      {
        rowLastDay: '2026-09-05',
        postedDays: ['2026-09-03', '2026-09-04', '2026-09-05'],
        postedMinor: 30n,
        rowAccruedMinor: 30n,
      },
      false,
      '2026-09-06 never accrued',
    ],
    [
      'a day the clock has not ended (accrued as of the wall clock, or today)',
      {
        rowLastDay: '2026-09-07',
        postedDays: [...healthy.postedDays, '2026-09-07'],
        postedMinor: 50n,
        rowAccruedMinor: 50n,
      },
      false,
      '2026-09-07 accrued once, outside its days',
    ],
    ['entries that post more than the row says', { postedMinor: 41n }, false, 'entries posted 41'],
  ])('%s', (_case, change, passes, problem) => {
    const checked = accruedOncePerDay([{ ...healthy, ...change }, neverDisbursed]);
    expect(checked.passed).toBe(passes);
    expect(checked.examined).toBe(4);
    if (problem !== null) expect(checked.problems.join(' | ')).toContain(problem);
  });

  it('interest on a loan never disbursed', () => {
    const checked = accruedOncePerDay([
      healthy,
      { ...neverDisbursed, postedDays: ['2026-09-04'], postedMinor: 10n },
    ]);
    expect(checked.passed).toBe(false);
    expect(checked.problems[0]).toContain(
      'loan-2: 2026-09-04 accrued once, outside its days (never disbursed',
    );
  });

  it('no loan-day to examine is no pass', () => {
    expect(accruedOncePerDay([neverDisbursed]).passed).toBe(false);
  });
});

describe('kills landed mid-accrual', () => {
  it.each([
    ['one kill with some of the day accrued', [{ day: '2026-09-07', due: 10, accruedAtKill: 4 }], true],
    [
      'kills only before the review began or after it ended',
      [
        { day: '2026-09-07', due: 10, accruedAtKill: 0 },
        { day: '2026-09-08', due: 10, accruedAtKill: 10 },
      ],
      false,
    ],
    ['no kill at all', [], false],
  ])('%s', (_case, kills, passes) => {
    expect(killsLandedMidAccrual(kills).passed).toBe(passes);
  });
});
