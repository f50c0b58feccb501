/**
 * The chaos run's checks, as pure functions of what the run sent and what it found afterwards
 * in Postgres, Redis, the topics and `ledger verify` (collected by run-state.ts). Pure so that
 * checks.spec.ts can hand each one a deliberately broken state (a doubled decision, an outbox
 * row never published, an input never applied…) and see it fail: a check that cannot fail
 * proves nothing.
 */

export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  /** How many things it looked at (events, rows, messages): a check of nothing is not a pass. */
  readonly examined: number;
  /** The first few problems, for people. */
  readonly problems: readonly string[];
}

const PROBLEMS_SHOWN = 5;

function result(
  name: string,
  examined: number,
  problems: readonly string[],
  requireSome = true,
): CheckResult {
  const empty = requireSome && examined === 0;
  return {
    name,
    passed: problems.length === 0 && !empty,
    examined,
    problems: empty
      ? ['nothing to examine: the run produced no such data']
      : problems.slice(0, PROBLEMS_SHOWN),
  };
}

/** An event's identity (CONTRACT.md: `source` and `id`). */
export interface EventIdentity {
  readonly source: string;
  readonly id: string;
}

export const identityKey = (event: EventIdentity): string => `${event.source}\u0000${event.id}`;

export interface ConsumerEvidence {
  /** The inbox consumer (`underwriter`, `lending`). */
  readonly consumer: string;
  /** Every good input the consumer was sent (or, for internal topics, that its topics hold). */
  readonly sent: readonly EventIdentity[];
  /** The consumer's inbox rows. */
  readonly inbox: ReadonlySet<string>;
  /** Inputs it refused on a business rule (a dead letter of this service): handled, not lost. */
  readonly refused: ReadonlySet<string>;
}

/** No input lost: every good input is in the consumer's inbox, or was refused with a dead letter. */
export function everyInputApplied(evidence: ConsumerEvidence): CheckResult {
  const problems: string[] = [];
  for (const event of evidence.sent) {
    const key = identityKey(event);
    if (!evidence.inbox.has(key) && !evidence.refused.has(key))
      problems.push(`${evidence.consumer}: ${event.source} ${event.id} neither applied nor refused`);
  }
  return result(`no input lost (${evidence.consumer})`, evidence.sent.length, problems);
}

export interface ProfileComparison {
  readonly merchantId: string;
  /** The live profile (canonical JSON), null when the merchant has none. */
  readonly live: string | null;
  /** The same merchant rebuilt from the topics by a fresh consumer, with no fault. */
  readonly control: string | null;
}

/** No input lost or counted twice by the profiler: each live profile equals the control rebuild's. */
export function profilesEqualControl(profiles: readonly ProfileComparison[]): CheckResult {
  const problems = profiles
    .filter((profile) => profile.live !== profile.control)
    .map((profile) =>
      profile.live === null
        ? `${profile.merchantId}: no live profile`
        : profile.control === null
          ? `${profile.merchantId}: a live profile but none rebuilt`
          : `${profile.merchantId}: live profile differs from the rebuild (${firstDifference(profile.live, profile.control)})`,
    );
  return result('profiles equal a fault-free rebuild', profiles.length, problems);
}

function firstDifference(left: string, right: string): string {
  let index = 0;
  while (index < left.length && left[index] === right[index]) index += 1;
  return `at character ${index}: …${left.slice(Math.max(0, index - 40), index + 40)}… vs …${right.slice(Math.max(0, index - 40), index + 40)}…`;
}

/** A business key and how many rows or effects carry it. */
export interface KeyCount {
  readonly key: string;
  readonly count: number;
}

/** No effect applied twice: each key (trigger, requestId, settlement, idempotency key) has one row. */
export function onceEach(name: string, counts: readonly KeyCount[]): CheckResult {
  const problems = counts
    .filter((entry) => entry.count !== 1)
    .map((entry) => `${entry.key}: ${entry.count} rows`);
  return result(name, counts.length, problems);
}

/** Effects counted against the events sent: never more effects than causes. */
export function atMostSent(name: string, effects: number, sent: number): CheckResult {
  const problems = effects > sent ? [`${effects} effects for ${sent} events sent`] : [];
  return result(name, sent, problems);
}

export interface OutboxRow {
  readonly eventId: string;
  readonly topic: string;
  readonly published: boolean;
}

export interface OutputMessage {
  readonly topic: string;
  /** The CloudEvent id, or null for a value that is no CloudEvent (which is itself a problem). */
  readonly id: string | null;
  /** The value as canonical JSON (keys sorted), so a re-serialisation is not a difference. */
  readonly payload: string;
}

/** No output missing: every outbox row is published, and the message is on its topic. */
export function everyOutboxRowPublished(
  outbox: readonly OutboxRow[],
  messages: readonly OutputMessage[],
): CheckResult {
  const onTopics = new Set(messages.map((message) => `${message.topic}\u0000${message.id}`));
  const problems: string[] = [];
  for (const row of outbox) {
    if (!row.published) problems.push(`outbox ${row.eventId} (${row.topic}) never published`);
    else if (!onTopics.has(`${row.topic}\u0000${row.eventId}`))
      problems.push(`outbox ${row.eventId} marked published but not on ${row.topic}`);
  }
  return result('no output event missing', outbox.length, problems);
}

/** Every copy of an output event carries the same id with the same payload. */
export function duplicatesIdentical(messages: readonly OutputMessage[]): CheckResult {
  const first = new Map<string, string>();
  const problems: string[] = [];
  let duplicates = 0;
  for (const message of messages) {
    if (message.id === null) {
      problems.push(`${message.topic}: a message without a CloudEvent id`);
      continue;
    }
    const key = `${message.topic}\u0000${message.id}`;
    const seen = first.get(key);
    if (seen === undefined) first.set(key, message.payload);
    else {
      duplicates += 1;
      if (seen !== message.payload) problems.push(`${message.topic} ${message.id}: copies differ`);
    }
  }
  const checked = result('output duplicates identical', messages.length, problems);
  return {
    ...checked,
    problems: checked.problems,
    examined: messages.length,
    name: `${checked.name} (${duplicates} copies)`,
  };
}

export interface GroupLag {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly committed: bigint;
  readonly end: bigint;
}

/** No partition stalls: every group committed to the end of every partition it consumes. */
export function noPartitionBehind(lags: readonly GroupLag[]): CheckResult {
  const problems = lags
    .filter((lag) => lag.committed < lag.end)
    .map((lag) => `${lag.group} ${lag.topic}[${lag.partition}]: committed ${lag.committed} of ${lag.end}`);
  return result('consumer lag reaches 0', lags.length, problems);
}

export function ledgerVerifies(exitCode: number | null, output: string): CheckResult {
  const problems =
    exitCode === 0
      ? []
      : [`ledger verify exited ${exitCode}: ${output.trim().split('\n').slice(-5).join(' | ')}`];
  return result('ledger verify', 1, problems);
}

export interface BadMessageSent {
  /** The run's own marker (a header the dead letter keeps): which bad message this was. */
  readonly marker: string;
  readonly topic: string;
  /** The services that consume the topic: each must dead-letter it. */
  readonly consumers: readonly string[];
}

export interface DeadLetterSeen {
  readonly marker: string | null;
  readonly service: string;
  readonly reason: string;
  readonly sourceTopic: string;
}

/** Every bad message lands in the DLQ, once per consuming service at least, with a reason. */
export function everyBadMessageDeadLettered(
  sent: readonly BadMessageSent[],
  deadLetters: readonly DeadLetterSeen[],
): CheckResult {
  const byMarker = new Map<string, DeadLetterSeen[]>();
  for (const letter of deadLetters) {
    if (letter.marker === null) continue;
    const list = byMarker.get(letter.marker) ?? [];
    list.push(letter);
    byMarker.set(letter.marker, list);
  }
  const problems: string[] = [];
  for (const message of sent) {
    const letters = byMarker.get(message.marker) ?? [];
    for (const consumer of message.consumers) {
      const mine = letters.filter((letter) => letter.service === consumer);
      if (mine.length === 0)
        problems.push(`${message.marker} on ${message.topic}: no dead letter from ${consumer}`);
      else if (mine.some((letter) => letter.reason === ''))
        problems.push(`${message.marker}: a dead letter without a reason`);
    }
  }
  return result('every bad message dead-lettered with a reason', sent.length, problems);
}

/** Nothing changes: the same figures before and after (redelivery, rejected requests). */
export function unchanged(
  name: string,
  before: Readonly<Record<string, string | number>>,
  after: Readonly<Record<string, string | number>>,
): CheckResult {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const problems = keys
    .filter((key) => String(before[key]) !== String(after[key]))
    .map((key) => `${key}: ${before[key]} → ${after[key]}`);
  return result(name, keys.length, problems);
}

export interface HttpOutcome {
  readonly route: string;
  readonly status: number;
}

/** Hostile requests are refused with a 4xx, never a 5xx (and never hang: status 0). */
export function noServerErrors(outcomes: readonly HttpOutcome[]): CheckResult {
  const problems = outcomes
    .filter((outcome) => outcome.status >= 500 || outcome.status === 0)
    .map((outcome) => `${outcome.route}: ${outcome.status === 0 ? 'no answer' : outcome.status}`);
  return result('no 5xx from hostile requests', outcomes.length, problems);
}

/** Canonical JSON: keys sorted at every level, so two serialisations of one value compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  return typeof value === 'bigint' ? value.toString() : value;
}

/** A live decision's line before and after (limits as strings of minor units; null: no line). */
export interface LineChange {
  readonly merchantId: string;
  readonly trigger: string;
  readonly beforeStatus: string | null;
  readonly beforeLimit: string | null;
  readonly afterStatus: string | null;
  readonly afterLimit: string | null;
}

/** A grant, an unfreeze or a higher limit: what a decision on a partial profile must never do. */
export function raisesLine(change: LineChange): boolean {
  if (change.afterStatus !== 'ACTIVE' || change.afterLimit === null) return false;
  if (change.beforeStatus !== 'ACTIVE' || change.beforeLimit === null) return BigInt(change.afterLimit) > 0n;
  return BigInt(change.afterLimit) > BigInt(change.beforeLimit);
}

/** Fail closed: no decision made while the profiles were missing or partial raised a line. */
export function noLineRaised(changes: readonly LineChange[]): CheckResult {
  const problems = changes
    .filter(raisesLine)
    .map(
      (change) =>
        `${change.merchantId} (${change.trigger}): ${change.beforeStatus ?? 'no line'} ${change.beforeLimit ?? ''} → ${change.afterStatus} ${change.afterLimit}`,
    );
  return result(
    `no line raised from a missing or partial profile (${changes.length} decisions)`,
    changes.length,
    problems,
  );
}

/** The dead-letter reasons that are business rules (CONTRACT.md): a good input may meet one. */
export const BUSINESS_RULE_REASONS: ReadonlySet<string> = new Set([
  'CURRENCY_MISMATCH',
  'DRAWDOWN_REFUSED',
  'REQUEST_ID_REUSED',
  'UNKNOWN_DISBURSEMENT',
  'DISBURSEMENT_OUTCOME_CONFLICT',
  'SETTLEMENT_ID_REUSED',
]);

/**
 * Transient failures are retried, never dead-lettered: no good input (one without the run's
 * bad-message marker) is in the DLQ except on a business rule. `goodInputs` is how many were sent.
 */
export function goodInputsNotDeadLettered(
  deadLetters: readonly DeadLetterSeen[],
  goodInputs: number,
): CheckResult {
  const problems = deadLetters
    .filter((letter) => letter.marker === null && !BUSINESS_RULE_REASONS.has(letter.reason))
    .map(
      (letter) => `${letter.service} dead-lettered a good input from ${letter.sourceTopic}: ${letter.reason}`,
    );
  return result('no good input dead-lettered but on a business rule', goodInputs, problems);
}

/** One loan's interest accrual as the database holds it, and what it should be by the business clock. */
export interface LoanAccrual {
  readonly loanId: string;
  /** The first day it accrues (its disbursement day); null: never disbursed, so it accrues nothing. */
  readonly firstDay: string | null;
  /**
   * The last day it must have accrued: for an active loan, the day before the business clock's
   * (the review ran as of it), or its last accruable day; for a closed loan, the day its closing
   * caught up to (its row's), never past either of those.
   */
  readonly expectedLastDay: string | null;
  /** The last day its row says is accrued (null: never disbursed). */
  readonly rowLastDay: string | null;
  /** The day of each of its INTEREST_ACCRUED journal entries, one per entry (a day twice: posted twice). */
  readonly postedDays: readonly string[];
  /** Days whose interest may round to 0 (principal × rate under a minor unit): no entry is right then. */
  readonly mayPostNothing: ReadonlySet<string>;
  /** Interest its entries posted, and what its row says it accrued. */
  readonly postedMinor: bigint;
  readonly rowAccruedMinor: bigint;
}

const nextDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Every loan accrued exactly once per day: each day from its disbursement to the last the
 * business clock has ended has one INTEREST_ACCRUED entry (none only where the day's interest
 * may round to 0), no day has two, no entry lies outside those days, the row is caught up to
 * the same day, and the entries post what the row says. Examined: the loan-days expected.
 */
export function accruedOncePerDay(loans: readonly LoanAccrual[]): CheckResult {
  const problems: string[] = [];
  let loanDays = 0;
  let entries = 0;
  for (const loan of loans) {
    const counts = new Map<string, number>();
    for (const day of loan.postedDays) counts.set(day, (counts.get(day) ?? 0) + 1);
    entries += loan.postedDays.length;
    const expected = new Set<string>();
    if (loan.firstDay !== null && loan.expectedLastDay !== null)
      for (let day = loan.firstDay; day <= loan.expectedLastDay; day = nextDay(day)) expected.add(day);
    loanDays += expected.size;
    for (const day of expected) {
      const count = counts.get(day) ?? 0;
      if (count > 1) problems.push(`loan ${loan.loanId}: ${day} accrued ${count} times`);
      else if (count === 0 && !loan.mayPostNothing.has(day))
        problems.push(`loan ${loan.loanId}: ${day} never accrued`);
    }
    for (const [day, count] of counts)
      if (!expected.has(day))
        problems.push(
          `loan ${loan.loanId}: ${day} accrued ${count === 1 ? 'once' : `${count} times`}, outside its days (${loan.firstDay ?? 'never disbursed'} to ${loan.expectedLastDay ?? '-'})`,
        );
    if (loan.firstDay !== null && loan.expectedLastDay !== null) {
      const caughtUpTo = loan.expectedLastDay < loan.firstDay ? null : loan.expectedLastDay;
      if (caughtUpTo !== null && loan.rowLastDay !== caughtUpTo)
        problems.push(
          `loan ${loan.loanId}: its row is accrued to ${loan.rowLastDay}, the clock says ${caughtUpTo}`,
        );
    }
    if (loan.postedMinor !== loan.rowAccruedMinor)
      problems.push(
        `loan ${loan.loanId}: entries posted ${loan.postedMinor} minor of interest, its row says ${loan.rowAccruedMinor}`,
      );
  }
  const checked = result('every loan accrued once per day', loanDays, problems);
  return { ...checked, name: `${checked.name} (${loans.length} loans, ${entries} entries)` };
}

/** What a kill during a review found: how many loans the day had to accrue, how many had when it landed. */
export interface AccrualKill {
  readonly day: string;
  readonly due: number;
  readonly accruedAtKill: number;
}

/** A kill is mid-accrual when some of the day's loans had accrued and some had not. */
export const midAccrual = (kill: AccrualKill): boolean =>
  kill.accruedAtKill > 0 && kill.accruedAtKill < kill.due;

/**
 * The fault happened: at least one SIGKILL landed mid-accrual (some of the day's loans
 * accrued, some not). Kills that landed before or after a review are reported, not failed:
 * the check is that the harness did hit a review in flight, not only near one.
 */
export function killsLandedMidAccrual(kills: readonly AccrualKill[]): CheckResult {
  const mid = kills.filter(midAccrual).length;
  const problems =
    kills.length > 0 && mid === 0
      ? [
          `none of ${kills.length} kills landed mid-accrual (${kills.map((kill) => `${kill.day}: ${kill.accruedAtKill}/${kill.due}`).join(', ')})`,
        ]
      : [];
  return result(`kills landed mid-accrual (${mid} of ${kills.length})`, kills.length, problems);
}
