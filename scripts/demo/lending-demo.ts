/**
 * The demo's lending half (issue 4): the lending service as a child process, the simulator's
 * treasury in-process, merchants drawing on their lines as the market runs, lending's daily
 * review as of each simulated day's end (interest, overdue, write-off), and at the end the
 * portfolio, the trial balance and `ledger verify`.
 *
 * Business time is the simulated calendar throughout: drawdowns carry the day's time, the
 * treasury stamps its confirmations with the request's time plus its delay, and the review runs
 * as of the day's last instant, so sixty days of loans run in a couple of minutes.
 */
import { spawnSync } from 'node:child_process';
import { createEvent, encodeEvent, Topics, TopicName } from '@lendstream/contracts';
import {
  portfolioSummary,
  reviewLoans,
  LENDING_POLICY_V1,
  lendingPolicyOf,
  type LendingPolicy,
} from '@lendstream/lending';
import { KafkaEventProducer } from '@lendstream/messaging';
import type { DataSource } from 'typeorm';
import { SimulatedTreasury } from '../../apps/simulator/src/treasury/simulated-treasury';
import { formatMoney, table } from '../lib/format';
import type { TopicNamespace } from '../lib/kafka-namespace';
import { waitForCommitted } from '../lib/kafka-namespace';
import { projectRoot, RunningService, startService, stopService } from '../lib/services';

const DAY_MS = 86_400_000;
/** What lending consumes: its group has taken in a day once these are committed to their end. */
const LENDING_TOPICS: readonly TopicName[] = [Topics.drawdownRequests, Topics.treasury, Topics.orders];
const CATCH_UP_TIMEOUT_MS = 120_000;
/** Short terms and an early write-off, so a sixty-day market shows whole loan lives: repaid, late, written off. */
const DEMO_TERM_DAYS = [14, 21, 30] as const;
const DEMO_WRITE_OFF_DAYS_PAST_DUE = 10;
const TREASURY_DELAY_MS = 300;
/** One disbursement in twenty fails at treasury, and its amount goes back to the line. */
const TREASURY_FAIL_SHARE_BPS = 500;
/** One drawdown in this many takes the whole line for a week. */
const OVERREACH_ONE_IN = 6;
/** Each simulated day from the first lines on, about one in six merchants with room on its line draws on it. */
const DRAW_ONE_IN = 6;

export interface LendingDemoOptions {
  readonly brokers: readonly string[];
  readonly namespace: TopicNamespace;
  readonly databaseUrl: string;
  readonly db: DataSource;
  readonly marketStart: string;
  readonly seed: string;
  readonly currency: string;
}

export class LendingDemo {
  private readonly producer: KafkaEventProducer;
  /** The policy the lending service derives from the same variables, so the review applies the loans' own rules. */
  private readonly policy: LendingPolicy = lendingPolicyOf(
    LENDING_POLICY_V1.holdbackShareBps,
    DEMO_WRITE_OFF_DAYS_PAST_DUE,
  );
  private requested = 0;
  private reviews = { interestMinor: 0n, overdue: 0, writtenOff: 0 };

  private constructor(
    private readonly options: LendingDemoOptions,
    private readonly service: RunningService,
    private readonly treasury: SimulatedTreasury,
    private readonly groupId: string,
  ) {
    this.producer = new KafkaEventProducer({
      brokers: options.brokers,
      clientId: 'lendstream-demo-drawdowns',
    });
  }

  get drawdownsRequested(): number {
    return this.requested;
  }

  static async start(options: LendingDemoOptions): Promise<LendingDemo> {
    const groupId = `${options.namespace.namespace}-lending`;
    const service = startService(
      {
        name: 'lending',
        entry: 'apps/lending/src/main.ts',
        env: {
          KAFKA_TOPIC_NAMESPACE: options.namespace.namespace,
          DATABASE_URL: options.databaseUrl,
          LENDING_GROUP_ID: groupId,
          // The demo runs the review itself, as of each simulated day; the wall clock would run it as of November.
          LENDING_REVIEW_INTERVAL_MS: '0',
          LENDING_WRITE_OFF_DAYS_PAST_DUE: String(DEMO_WRITE_OFF_DAYS_PAST_DUE),
          LOG_LEVEL: 'warn',
        },
      },
      { quiet: false },
    );
    const treasury = new SimulatedTreasury({
      brokers: options.brokers,
      topicNamespace: options.namespace.namespace,
      settings: { delayMs: TREASURY_DELAY_MS, failShareBps: TREASURY_FAIL_SHARE_BPS, seed: options.seed },
      confirmationTime: 'request',
      drainTimeoutMs: 0,
    });
    await treasury.start();
    const demo = new LendingDemo(options, service, treasury, groupId);
    await demo.producer.connect();
    return demo;
  }

  /**
   * The end of simulated day `day` (1-based): merchants draw on their lines, treasury pays,
   * and once lending has taken everything in, the review runs as of the day's last instant.
   */
  async onDay(day: number): Promise<void> {
    const dayEnd = new Date(Date.parse(this.options.marketStart) + day * DAY_MS - 1).toISOString();
    await this.drawOnLines(day, new Date(Date.parse(dayEnd) - 6 * 3_600_000).toISOString());
    await this.waitForLending();
    const report = await reviewLoans(this.options.db, dayEnd, { policy: this.policy });
    this.reviews.interestMinor += report.interestPostedMinor.get(this.options.currency) ?? 0n;
    this.reviews.overdue += report.overdueCount;
    this.reviews.writtenOff += report.writtenOffCount;
    if (report.writtenOffCount > 0 || report.overdueCount > 0)
      console.log(
        `  day ${day}: review as of ${dayEnd.slice(0, 10)}: ${report.overdueCount} loan(s) newly overdue, ${report.writtenOffCount} written off`,
      );
    // Loan events reach the underwriter (an overdue loan freezes the line) through the outbox.
    await this.waitForLending();
  }

  /** Merchants with room on an active line and no loan open draw a fifth of it, a deterministic few per day. */
  private async drawOnLines(day: number, at: string): Promise<void> {
    const lines: Array<{ merchant_id: string; available_minor: string }> = await this.options.db.query(
      `SELECT merchant_id, available_minor FROM credit_lines
       WHERE status = 'ACTIVE' AND currency = $1 AND available_minor >= 500000
         AND NOT EXISTS (SELECT 1 FROM loans WHERE loans.merchant_id = credit_lines.merchant_id
                           AND loans.status IN ('PENDING_DISBURSEMENT', 'ACTIVE'))
       ORDER BY merchant_id`,
      [this.options.currency],
    );
    const drawing = lines.filter(
      (line) => hashOf(`${this.options.seed}:${day}:${line.merchant_id}`) % DRAW_ONE_IN === 0,
    );
    if (drawing.length === 0) return;
    const messages = drawing.map((line) => {
      const requestId = `demo-draw-${day}-${line.merchant_id}`;
      // Most draw a fifth of the room, in whole yuan: what a fifth of a few weeks' settlements
      // repays. One in OVERREACH_ONE_IN takes all of it for a week, more than its settlements can
      // repay in time: those loans go overdue, freeze their lines, and some are written off.
      const overreach = hashOf(`overreach:${requestId}`) % OVERREACH_ONE_IN === 0;
      const available = BigInt(line.available_minor);
      const amountMinor = ((overreach ? available : available / 5n) / 100n) * 100n;
      const termDays = overreach ? 7 : DEMO_TERM_DAYS[hashOf(requestId) % DEMO_TERM_DAYS.length]!;
      const event = createEvent({
        type: 'drawdown.requested',
        id: requestId,
        source: '/platform/merchant-portal',
        time: new Date(at),
        data: {
          merchantId: line.merchant_id,
          requestId,
          amountMinor,
          currency: this.options.currency,
          termDays,
        },
      });
      return { key: line.merchant_id, value: encodeEvent(event) };
    });
    await this.producer.publish(this.options.namespace.physical(Topics.drawdownRequests), messages);
    this.requested += messages.length;
  }

  /** Until lending has committed every input so far and no disbursement waits on treasury. */
  private async waitForLending(): Promise<void> {
    const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
    for (;;) {
      const end = await this.options.namespace.endOffsetTotal(LENDING_TOPICS);
      await waitForCommitted(this.options.namespace, this.groupId, LENDING_TOPICS, end, CATCH_UP_TIMEOUT_MS);
      const [pending] = await this.options.db.query(
        `SELECT count(*)::int AS n FROM loans WHERE status = 'PENDING_DISBURSEMENT'`,
      );
      const [unsent] = await this.options.db.query(
        `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`,
      );
      if (pending.n === 0 && unsent.n === 0) return;
      if (Date.now() > deadline) throw new Error(`lending did not settle in ${CATCH_UP_TIMEOUT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The portfolio, the trial balance and `ledger verify`; false when the books do not hold. */
  async report(asOf: string): Promise<boolean> {
    console.log(
      `\n▶ lending: ${this.requested} drawdowns requested; treasury answered each after ${TREASURY_DELAY_MS} ms, failing ${TREASURY_FAIL_SHARE_BPS / 100} %; ` +
        `the daily reviews posted ${formatMoney(this.reviews.interestMinor, this.options.currency)} of interest, ${this.reviews.overdue} overdue notices, ${this.reviews.writtenOff} write-offs`,
    );
    const summary = await portfolioSummary(this.options.db.manager, asOf);
    for (const portfolio of summary.currencies) {
      const money = (minor: bigint) => formatMoney(minor, portfolio.currency);
      console.log(`  portfolio (${portfolio.currency}) as of ${asOf.slice(0, 10)}:`);
      console.log(
        table(
          ['status', 'loans', 'principal', 'outstanding principal', 'outstanding interest'],
          Object.entries(portfolio.byStatus).map(([status, amounts]) => [
            status,
            String(amounts.count),
            money(amounts.principalMinor),
            money(amounts.outstandingPrincipalMinor),
            money(amounts.outstandingInterestMinor),
          ]),
        ),
      );
      console.log(
        table(
          ['active loans by days past due', 'loans', 'outstanding principal'],
          Object.entries(portfolio.activeByBucket).map(([bucket, amounts]) => [
            bucket,
            String(amounts.count),
            money(amounts.outstandingPrincipalMinor),
          ]),
        ),
      );
      console.log(
        `  interest earned ${money(portfolio.interestEarnedMinor)}, collected ${money(portfolio.interestCollectedMinor)}; ` +
          `losses ${money(portfolio.lossesPrincipalMinor)} principal + ${money(portfolio.lossesInterestMinor)} interest`,
      );
    }
    const [holdbacks] = await this.options.db.query(
      `SELECT count(*)::int AS settlements, count(*) FILTER (WHERE holdback_minor > 0)::int AS withheld,
              coalesce(sum(holdback_minor), 0)::text AS total FROM settlement_holdbacks`,
    );
    console.log(
      `  settlements seen ${holdbacks.settlements}, of which ${holdbacks.withheld} repaid loans: ` +
        `${formatMoney(BigInt(holdbacks.total), this.options.currency)} withheld`,
    );
    console.log('\n▶ the books (npm run ledger -- trial-balance, then verify):');
    const ledger = (command: string) =>
      spawnSync('npm', ['run', '-s', 'ledger', '--', command], {
        cwd: projectRoot,
        stdio: 'inherit',
        env: { ...process.env, DATABASE_URL: this.options.databaseUrl },
      }).status;
    ledger('trial-balance');
    return ledger('verify') === 0;
  }

  async stop(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    await this.treasury.stop().catch(() => undefined);
    await stopService(this.service);
  }
}

/** A small stable hash (FNV-1a) to pick merchants and terms the same way on every run. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
