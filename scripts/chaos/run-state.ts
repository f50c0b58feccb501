/**
 * What the chaos run finds after its faults, read from Postgres, Redis and the topics into
 * the plain shapes checks.ts judges. Reads only; every query is bounded by the run's size.
 */
import { DeadLetterHeaders, namespacedTopic, TopicName, Topics } from '@lendstream/contracts';
import type { Admin } from 'kafkajs';
import type { DataSource } from 'typeorm';
import {
  canonicalJson,
  DeadLetterSeen,
  EventIdentity,
  GroupLag,
  identityKey,
  KeyCount,
  LoanAccrual,
  OutboxRow,
  OutputMessage,
} from './checks';
import { readTopicsToEnd, TopicRecord } from './topic-reader';

/** The header the run puts on every bad message it sends (the DLQ keeps the original headers). */
export const BAD_MESSAGE_HEADER = 'chaos-bad';

export interface ConsumerGroup {
  readonly service: 'profiler' | 'underwriter' | 'lending';
  readonly groupId: string;
  readonly topics: readonly TopicName[];
}

export function consumerGroups(namespace: string): ConsumerGroup[] {
  return [
    {
      service: 'profiler',
      groupId: `${namespace}-profiler`,
      topics: [Topics.orders, Topics.warehouse, Topics.logistics],
    },
    {
      service: 'underwriter',
      groupId: `${namespace}-underwriter`,
      topics: [Topics.profileChanged, Topics.loans],
    },
    {
      service: 'lending',
      groupId: `${namespace}-lending`,
      topics: [Topics.drawdownRequests, Topics.treasury, Topics.orders],
    },
  ];
}

/** The types lending applies (the rest of what it reads, order.paid and the like, it ignores). */
export const LENDING_TYPES = new Set([
  'drawdown.requested',
  'disbursement.settled',
  'disbursement.failed',
  'order.settled',
]);

/** The CloudEvent identity in a value, or null when the value is not one. */
export function identityOf(value: Buffer | null): (EventIdentity & { type: string }) | null {
  if (value === null) return null;
  try {
    const parsed = JSON.parse(value.toString('utf8')) as { source?: unknown; id?: unknown; type?: unknown };
    if (typeof parsed.source !== 'string' || typeof parsed.id !== 'string') return null;
    return { source: parsed.source, id: parsed.id, type: typeof parsed.type === 'string' ? parsed.type : '' };
  } catch {
    return null;
  }
}

export async function groupLags(
  admin: Admin,
  namespace: string,
  groups: readonly ConsumerGroup[],
): Promise<GroupLag[]> {
  const lags: GroupLag[] = [];
  for (const group of groups) {
    const physical = group.topics.map((topic) => namespacedTopic(topic, namespace));
    const committed = await admin.fetchOffsets({ groupId: group.groupId, topics: physical });
    for (const topic of physical) {
      const ends = await admin.fetchTopicOffsets(topic);
      const mine = committed.find((entry) => entry.topic === topic)?.partitions ?? [];
      for (const end of ends) {
        const offset = mine.find((entry) => entry.partition === end.partition)?.offset ?? '-1';
        const committedOffset = BigInt(offset) < 0n ? BigInt(end.low) : BigInt(offset);
        lags.push({
          group: group.service,
          topic,
          partition: end.partition,
          committed: committedOffset,
          end: BigInt(end.high),
        });
      }
    }
  }
  return lags;
}

export async function inboxOf(db: DataSource, consumer: string): Promise<Set<string>> {
  const rows: Array<{ source: string; event_id: string }> = await db.query(
    `SELECT source, event_id FROM inbox WHERE consumer = $1`,
    [consumer],
  );
  return new Set(rows.map((row) => identityKey({ source: row.source, id: row.event_id })));
}

const keyCounts = async (db: DataSource, sql: string): Promise<KeyCount[]> =>
  (await db.query(sql)).map((row: { key: string; count: number }) => ({
    key: row.key,
    count: Number(row.count),
  }));

/** Each effect's business key and how many rows carry it. */
export async function effectCounts(db: DataSource): Promise<Record<string, KeyCount[]>> {
  return {
    'one live decision per trigger': await keyCounts(
      db,
      `SELECT concat_ws(' ', trigger_kind, trigger_source, trigger_id, merchant_id) AS key, count(*)::int AS count
       FROM credit_decisions WHERE NOT shadow GROUP BY trigger_kind, trigger_source, trigger_id, merchant_id`,
    ),
    'one loan per drawdown request': await keyCounts(
      db,
      `SELECT merchant_id || ' ' || request_id AS key, count(*)::int AS count FROM loans GROUP BY merchant_id, request_id`,
    ),
    'one disbursement.requested per loan': await keyCounts(
      db,
      `SELECT payload->'data'->>'disbursementId' AS key, count(*)::int AS count FROM outbox
       WHERE payload->>'type' = 'disbursement.requested' GROUP BY 1`,
    ),
    'one holdback per settlement': await keyCounts(
      db,
      `SELECT settlement_id AS key, count(*)::int AS count FROM settlement_holdbacks GROUP BY settlement_id`,
    ),
    'one repayment per settlement and loan': await keyCounts(
      db,
      `SELECT coalesce(settlement_id, repayment_id::text) || ' ' || loan_id AS key, count(*)::int AS count
       FROM repayments GROUP BY coalesce(settlement_id, repayment_id::text), loan_id`,
    ),
    'one journal entry per idempotency key': await keyCounts(
      db,
      `SELECT idempotency_key AS key, count(*)::int AS count FROM journal_entries GROUP BY idempotency_key`,
    ),
  };
}

export async function outboxRows(db: DataSource): Promise<OutboxRow[]> {
  const rows: Array<{ event_id: string; topic: string; published: boolean }> = await db.query(
    `SELECT event_id::text, topic, published_at IS NOT NULL AS published FROM outbox`,
  );
  return rows.map((row) => ({ eventId: row.event_id, topic: row.topic, published: row.published }));
}

/** The contract topic of a physical one (`<namespace>.<topic>`). */
const contractTopic = (physical: string, namespace: string): string =>
  physical.startsWith(`${namespace}.`) ? physical.slice(namespace.length + 1) : physical;

export function outputMessages(records: readonly TopicRecord[], namespace: string): OutputMessage[] {
  return records.map((record) => {
    const identity = identityOf(record.value);
    let payload = '';
    try {
      payload = canonicalJson(JSON.parse(record.value?.toString('utf8') ?? 'null'));
    } catch {
      payload = record.value?.toString('base64') ?? '';
    }
    return { topic: contractTopic(record.topic, namespace), id: identity?.id ?? null, payload };
  });
}

export function deadLettersSeen(records: readonly TopicRecord[]): DeadLetterSeen[] {
  return records.map((record) => ({
    marker: record.headers[BAD_MESSAGE_HEADER] ?? null,
    service: record.headers[DeadLetterHeaders.service] ?? '',
    reason: record.headers[DeadLetterHeaders.reason] ?? '',
    sourceTopic: record.headers[DeadLetterHeaders.sourceTopic] ?? '',
  }));
}

/** Good inputs a service refused on a business rule: dead letters of that service that are CloudEvents. */
export function refusedBy(deadLetters: readonly TopicRecord[], service: string): Set<string> {
  const refused = new Set<string>();
  for (const record of deadLetters) {
    if (
      record.headers[DeadLetterHeaders.service] !== service ||
      record.headers[BAD_MESSAGE_HEADER] !== undefined
    )
      continue;
    const identity = identityOf(record.value);
    if (identity !== null) refused.add(identityKey(identity));
  }
  return refused;
}

export async function readNamespaced(
  brokers: readonly string[],
  admin: Admin,
  namespace: string,
  topics: readonly TopicName[],
  timeoutMs: number,
): Promise<TopicRecord[]> {
  return readTopicsToEnd(
    brokers,
    admin,
    topics.map((topic) => namespacedTopic(topic, namespace)),
    timeoutMs,
  );
}

/** Figures that a redelivery (or a refused request) must leave exactly as they were. */
export async function stateFigures(db: DataSource): Promise<Record<string, string | number>> {
  const [row] = await db.query(`
    SELECT
      (SELECT count(*) FROM credit_decisions)::int AS decisions,
      (SELECT md5(coalesce(string_agg(row_to_json(l)::text, '|' ORDER BY merchant_id), '')) FROM credit_lines l) AS credit_lines,
      (SELECT md5(coalesce(string_agg(row_to_json(l)::text, '|' ORDER BY loan_id), '')) FROM loans l) AS loans,
      (SELECT count(*) FROM settlement_holdbacks)::int AS holdbacks,
      (SELECT count(*) FROM repayments)::int AS repayments,
      (SELECT count(*) FROM journal_entries)::int AS journal_entries,
      (SELECT count(*) FROM outbox)::int AS outbox_rows,
      (SELECT count(*) FROM api_idempotency_keys)::int AS api_idempotency_keys,
      (SELECT count(*) FROM audit_log)::int AS audit_entries,
      (SELECT count(*) FROM portfolio_budget)::int AS budgets,
      (SELECT md5(coalesce(string_agg(currency || budget_minor, '|' ORDER BY currency), '')) FROM portfolio_budget) AS budget_values
  `);
  const inbox: Array<{ consumer: string; rows: number }> = await db.query(
    `SELECT consumer, count(*)::int AS rows FROM inbox GROUP BY consumer`,
  );
  const figures: Record<string, string | number> = { ...row };
  for (const entry of inbox) figures[`inbox ${entry.consumer}`] = entry.rows;
  return figures;
}

const addDay = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const earlier = (left: string, right: string): string => (left < right ? left : right);

/**
 * Each loan's accrual, against the business clock the review last ran as of (`asOf`, an
 * instant) and the policy's write-off days past due (interest stops the day before the
 * write-off day). A day may post nothing only where even the least principal the loan can have
 * had that day (principal less every repayment collected by its end) earns under a minor unit:
 * then carry plus interest can round to 0.
 */
export async function loanAccruals(
  db: DataSource,
  asOf: string,
  writeOffDaysPastDue: number,
): Promise<LoanAccrual[]> {
  const loans: Array<{
    loan_id: string;
    status: string;
    first_day: string | null;
    due_day: string | null;
    last_accrued_day: string | null;
    principal_minor: string;
    daily_rate_bps: number;
    interest_accrued_minor: string;
  }> = await db.query(
    `SELECT loan_id::text, status, (disbursed_at AT TIME ZONE 'UTC')::date::text AS first_day,
            (due_at AT TIME ZONE 'UTC')::date::text AS due_day, last_accrued_day::text,
            principal_minor::text, daily_rate_bps, interest_accrued_minor::text
     FROM loans ORDER BY loan_id`,
  );
  const entries: Array<{ loan_id: string; day: string; amount: string }> = await db.query(
    `SELECT e.loan_id, (e.effective_at AT TIME ZONE 'UTC')::date::text AS day, sum(l.amount_minor)::text AS amount
     FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.entry_id AND l.side = 'DEBIT'
     WHERE e.code = 'INTEREST_ACCRUED' GROUP BY e.entry_id, e.loan_id, day`,
  );
  const repaid: Array<{ loan_id: string; day: string; principal: string }> = await db.query(
    `SELECT loan_id::text, (collected_at AT TIME ZONE 'UTC')::date::text AS day, sum(principal_minor)::text AS principal
     FROM repayments GROUP BY 1, 2`,
  );
  const posted = new Map<string, { days: string[]; minor: bigint }>();
  for (const entry of entries) {
    const mine = posted.get(entry.loan_id) ?? { days: [], minor: 0n };
    mine.days.push(entry.day);
    mine.minor += BigInt(entry.amount);
    posted.set(entry.loan_id, mine);
  }
  const repayments = new Map<string, Array<{ day: string; principal: bigint }>>();
  for (const row of repaid)
    repayments.set(row.loan_id, [
      ...(repayments.get(row.loan_id) ?? []),
      { day: row.day, principal: BigInt(row.principal) },
    ]);
  const yesterday = addDay(asOf.slice(0, 10), -1);
  return loans.map((loan) => {
    const mine = posted.get(loan.loan_id) ?? { days: [], minor: 0n };
    let expectedLastDay: string | null = null;
    const mayPostNothing = new Set<string>();
    if (loan.first_day !== null && loan.due_day !== null) {
      const cap = earlier(yesterday, addDay(loan.due_day, writeOffDaysPastDue - 1));
      expectedLastDay =
        loan.status === 'ACTIVE' || loan.last_accrued_day === null
          ? cap
          : earlier(loan.last_accrued_day, cap);
      for (let day = loan.first_day; day <= expectedLastDay; day = addDay(day, 1)) {
        const repaidBy = (repayments.get(loan.loan_id) ?? [])
          .filter((repayment) => repayment.day <= day)
          .reduce((sum, repayment) => sum + repayment.principal, 0n);
        const least = BigInt(loan.principal_minor) - repaidBy;
        if (least * BigInt(loan.daily_rate_bps) < 10_000n) mayPostNothing.add(day);
      }
    }
    return {
      loanId: loan.loan_id,
      firstDay: loan.first_day,
      expectedLastDay,
      rowLastDay: loan.first_day === null ? null : loan.last_accrued_day,
      postedDays: mine.days,
      mayPostNothing,
      postedMinor: mine.minor,
      rowAccruedMinor: BigInt(loan.interest_accrued_minor),
    };
  });
}
