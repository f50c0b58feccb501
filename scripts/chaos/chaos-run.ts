/**
 * One chaos run: a fresh topic namespace, scratch database and Redis key prefix; the real
 * services as child processes; the simulator's market (and treasury, so money moves) as load;
 * the selected faults injected while it runs; then everything is allowed to settle and
 * judged (checks.ts) against what was sent.
 */
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createEvent, encodeEvent, namespacedTopic, TopicName, Topics } from '@lendstream/contracts';
import { createKafkaClient } from '@lendstream/messaging';
import {
  authEnvShape,
  maintenanceDatabaseUrl,
  withPostgresConnection,
  authSettingsFrom,
  loadEnvWith,
  loadPlatformEnv,
  platformEnvShape,
  signHs256Token,
} from '@lendstream/platform';
import { merchantRoster, MarketConfig, simulateMarket } from '@lendstream/simulation';
import { Redis } from 'ioredis';
import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { lendingPolicyFromEnv } from '../../apps/lending/src/lending-config';
import { SimulatedTreasury } from '../../apps/simulator/src/treasury/simulated-treasury';
import { CLOUDEVENT_HEADERS } from '../../apps/simulator/src/event-sink';
import { createTopicNamespace, TopicNamespace } from '../lib/kafka-namespace';
import { deleteKeysUnder } from '../lib/redis-keys';
import { createScratchDatabase, ScratchDatabase } from '../lib/scratch-database';
import { runningBrokerPid, startBroker, stopBroker } from '../stack/kafka-broker';
import { ServiceFleet, ServiceName, SERVICE_NAMES } from './fleet';
import { generateHostileMessages, HOSTILE_TOPICS, HostileMessage } from './hostile-messages';
import { BAD_MESSAGE_HEADER, consumerGroups, groupLags, stateFigures } from './run-state';
import type { ChaosSizes, FaultKind } from './chaos-sizes';
import type { AccrualKill } from './checks';

const execFileAsync = promisify(execFile);

const DAY_MS = 86_400_000;
const CURRENCY = 'CNY';
/** A line exists only after the policy's 30-day tenure: drawdowns start a little after. */
const FIRST_DRAWDOWN_DAY = 31;
const QUIESCE_POLL_MS = 1_500;
const CATCH_UP_BEFORE_DRAWDOWNS_MS = 120_000;
const REDIS_FLUSH_DAYS_AFTER_FIRST_DRAWDOWN = 3;
const REST_RETRY_MS = 500;
const REST_ANSWER_TIMEOUT_MS = 90_000;
/** Lending's review runs this often (wall clock), as of the run's business clock. */
const REVIEW_INTERVAL_MS = 250;
/** Loans per review transaction: small, so that one review is several commits and a kill can land between them. */
const REVIEW_CHUNK = 2;
/** How long an accrual kill waits for lending to be up (a crash's restart) and then for its review to progress. */
const ACCRUAL_KILL_UP_TIMEOUT_MS = 60_000;
const ACCRUAL_KILL_WAIT_MS = 5_000;
/** How long a restarted Postgres server may take to accept connections again. */
const SERVER_START_TIMEOUT_MS = 60_000;
export const API_ROLES = ['ops:read', 'ops:write', 'lending:drawdown', 'lending:repay', 'treasury'] as const;

export interface RestDrawdown {
  readonly merchantId: string;
  readonly requestId: string;
  /** The final answer after retrying through crashes with the same Idempotency-Key (0: none in time). */
  status: number;
  attempts: number;
}

export class ChaosRun {
  readonly market: MarketConfig;
  readonly merchantIds: string[];
  readonly fleet: ServiceFleet;
  readonly redis: Redis;
  readonly badSent: Array<{
    marker: string;
    topic: TopicName;
    consumers: readonly string[];
    category: string;
  }> = [];
  readonly restDrawdowns: RestDrawdown[] = [];
  goodSent = 0;
  kafkaDrawdowns = 0;
  private producer: Producer | undefined;
  private treasury: SimulatedTreasury | undefined;
  private apiToken = '';
  private loadRunning = false;
  /** When the profiles were flushed and when their rebuild began (the window of partial profiles). */
  redisFlush: { at: Date; keysDeleted: number; rebuildAt: Date | null } | null = null;
  readonly postgresOutages: Array<{ sessionsTerminated: number; ms: number }> = [];
  /** Each broker restart: how it stopped and how long the broker was away. */
  readonly kafkaRestarts: Array<{ stopped: 'clean' | 'killed'; downMs: number }> = [];
  /** Why the broker was not restarted, when it was not (it is not this checkout's to restart). */
  kafkaRestartSkipped: string | null = null;
  /** 5xx answers the REST drawdowns met (and retried) on their way to an answer. */
  restServerErrors = 0;
  /** Joins and leaves of a second consumer instance. */
  rebalances = 0;
  /** The file lending's review reads its business time from (LENDING_BUSINESS_CLOCK_FILE). */
  readonly clockFile: string;
  /** The business instant the review runs as of: the start of the market day after the last one sent. */
  businessNow = '';
  /** Interest stops the day before a write-off: lending's policy, as the services read it from the environment. */
  readonly writeOffDaysPastDue = lendingPolicyFromEnv().writeOffDaysPastDue;
  /** Each SIGKILL of lending during a review: how many loans the day had to accrue, how many had. */
  readonly accrualKills: AccrualKill[] = [];
  /** Each restart of the whole Postgres server: how long it was away, how many of the run's sessions it ended. */
  readonly postgresServerRestarts: Array<{ downMs: number; sessions: number; cluster: string }> = [];
  /** Why the server was not restarted (the connection cut ran instead), when it was not. */
  postgresServerRestartSkipped: string | null = null;
  private serverRestart: Promise<void> | null = null;
  /** Restarts still booting in the background (after an accrual kill), awaited when the load ends. */
  private readonly background: Promise<void>[] = [];
  /** One kill-and-restart of a service at a time, whoever asks (the crashes, the accrual kills). */
  private readonly locks = new Map<ServiceName, Promise<void>>();
  private readonly lockHeld = new Set<ServiceName>();

  private constructor(
    readonly sizes: ChaosSizes,
    readonly faults: ReadonlySet<FaultKind>,
    readonly brokers: readonly string[],
    readonly namespace: TopicNamespace,
    readonly database: ScratchDatabase,
    readonly db: DataSource,
    readonly keyPrefix: string,
    readonly apiPort: number,
    readonly redisUrl: string,
    readonly serverUrl: string,
    readonly log: (line: string) => void,
  ) {
    this.market = { seed: sizes.seed, merchants: sizes.merchants, days: sizes.days, start: '2026-08-01' };
    this.merchantIds = merchantRoster(this.market).map((merchant) => merchant.merchantId);
    this.redis = new Redis(redisUrl);
    this.clockFile = path.join(os.tmpdir(), `${namespace.namespace}-business-clock`);
    this.setClock(0);
    const groups = consumerGroups(namespace.namespace);
    this.fleet = new ServiceFleet(
      () => ({
        KAFKA_TOPIC_NAMESPACE: namespace.namespace,
        PROFILE_KEY_PREFIX: keyPrefix,
        DATABASE_URL: database.url,
        PROFILER_GROUP_ID: groups[0]!.groupId,
        UNDERWRITER_GROUP_ID: groups[1]!.groupId,
        LENDING_GROUP_ID: groups[2]!.groupId,
        // Wall-clock sweeps would act on the simulated calendar at random moments, and change
        // state between the redelivery's before and after.
        SILENCE_SWEEP_INTERVAL_MS: '0',
        BUDGET_SWEEP_INTERVAL_MS: '0',
        // Lending's daily review (accrual, overdue, write-off) runs on the simulated calendar
        // instead: as of the business clock the load advances a market day at a time.
        LENDING_REVIEW_INTERVAL_MS: String(REVIEW_INTERVAL_MS),
        LENDING_REVIEW_CHUNK: String(REVIEW_CHUNK),
        LENDING_BUSINESS_CLOCK_FILE: this.clockFile,
        API_PORT: String(apiPort),
        // No health and metrics listener for the consumers: fixed default ports would clash
        // with a stack running beside the run (and with a killed process's socket).
        PROFILER_HTTP_PORT: '0',
        UNDERWRITER_HTTP_PORT: '0',
        LENDING_HTTP_PORT: '0',
        API_RATE_LIMIT_READS: '0',
        API_RATE_LIMIT_WRITES: '0',
        API_RATE_LIMIT_ANONYMOUS: '0',
        API_RATE_LIMIT_KEY_PREFIX: `${keyPrefix}-rl`,
      }),
      sizes.echoServices,
    );
  }

  static async create(
    sizes: ChaosSizes,
    faults: ReadonlySet<FaultKind>,
    log: (line: string) => void,
  ): Promise<ChaosRun> {
    const env = loadPlatformEnv();
    const namespace = await createTopicNamespace(env.KAFKA_BROKERS, 'chaos', env.KAFKA_PARTITIONS);
    const database = await createScratchDatabase(env.DATABASE_URL, 'lendstream_chaos');
    const db = await database.connect('lendstream-chaos');
    const run = new ChaosRun(
      sizes,
      faults,
      env.KAFKA_BROKERS,
      namespace,
      database,
      db,
      namespace.namespace.slice(0, 28),
      await freePort(),
      env.REDIS_URL,
      env.DATABASE_URL,
      log,
    );
    const auth = authSettingsFrom(
      loadEnvWith(z.object({ NODE_ENV: platformEnvShape.NODE_ENV, ...authEnvShape })),
    );
    if (auth.mode !== 'hs256') throw new Error('the chaos run signs development tokens: unset AUTH_JWKS_URL');
    run.signToken = (roles) =>
      signHs256Token(
        {
          subject: 'chaos',
          roles,
          ttlSeconds: 3_600,
          ...(auth.policy.issuer === undefined ? {} : { issuer: auth.policy.issuer }),
          ...(auth.policy.audience === undefined ? {} : { audience: auth.policy.audience }),
        },
        auth.secret,
        Date.now(),
      );
    run.apiToken = await run.signToken([...API_ROLES]);
    return run;
  }

  /** A development token with these roles, signed as the API checks them. */
  signToken: (roles: readonly string[]) => Promise<string> = () => Promise.reject(new Error('not set up'));

  get token(): string {
    return this.apiToken;
  }

  get apiBase(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  async startAll(): Promise<void> {
    await Promise.all(SERVICE_NAMES.map((name) => this.fleet.start(name)));
    this.treasury = new SimulatedTreasury({
      brokers: this.brokers,
      topicNamespace: this.namespace.namespace,
      groupId: `${this.namespace.namespace}-treasury`,
      settings: { delayMs: 200, failShareBps: 500, seed: String(this.sizes.seed) },
      confirmationTime: 'request',
      drainTimeoutMs: 0,
      // When the broker restart crashes its consumer, the restarted one waits for the old
      // member's session to end before the group lets it in; 30 s of unconfirmed loans is the
      // likely reason a CI-size run once had no repayment at all to check.
      sessionTimeoutMs: 10_000,
    });
    await this.treasury.start();
    this.producer = createKafkaClient({ brokers: this.brokers, clientId: 'lendstream-chaos-load' }).producer({
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await this.producer.connect();
  }

  /**
   * The market, a day at a time at the run's pace, with drawdowns on the lines granted so far
   * (by Kafka, and a few through the API, retried with their Idempotency-Key through crashes)
   * and, when hostile input is on, a share of the bad messages interleaved with each day.
   */
  async runLoad(): Promise<void> {
    this.loadRunning = true;
    const hostile: HostileMessage[] = this.faults.has('hostile-input')
      ? generateHostileMessages(this.sizes.hostileMessages, this.merchantIds, this.sizes.seedNumber)
      : [];
    const perDay = Math.ceil(hostile.length / this.market.days);
    const startMs = Date.parse(String(this.market.start));
    const days = new Map<number, Array<{ topic: TopicName; key: string; value: string }>>();
    for (const { topic, key, event } of simulateMarket(this.market)) {
      const day = Math.min(this.market.days - 1, Math.floor((Date.parse(event.time) - startMs) / DAY_MS));
      const list = days.get(day) ?? [];
      list.push({ topic, key, value: encodeEvent(event) });
      days.set(day, list);
    }
    const restCalls: Promise<void>[] = [];
    try {
      for (let day = 0; day < this.market.days; day += 1) {
        const started = Date.now();
        const good = days.get(day) ?? [];
        await this.publishGood(good);
        this.goodSent += good.length;
        await this.publishBad(hostile.slice(day * perDay, (day + 1) * perDay), day * perDay);
        // The day is over: the review accrues it (on a kill day, once the kill is armed).
        const killDay = this.accrualKillDue(day + 1);
        if (!killDay) this.setClock(day + 1);
        if (day + 1 === FIRST_DRAWDOWN_DAY) await this.waitForUnderwriting();
        // Redis forgets every profile a few days into lending, while the market goes on.
        if (
          this.faults.has('redis-flush') &&
          day + 1 === FIRST_DRAWDOWN_DAY + REDIS_FLUSH_DAYS_AFTER_FIRST_DRAWDOWN
        ) {
          await this.settleServerRestart();
          await this.flushProfiles();
        }
        if (this.faults.has('postgres-restart'))
          for (const [index, outageDay] of this.outageDays().entries()) {
            if (outageDay !== day + 1) continue;
            await this.settleServerRestart();
            // The server restart goes on beside the load (the market keeps coming while it is down).
            if (this.serverRestartIndices().includes(index))
              this.serverRestart = this.postgresServerRestart();
            else await this.postgresOutage();
          }
        if (this.faults.has('kafka-restart') && this.kafkaRestartDays().includes(day + 1)) {
          await this.settleServerRestart();
          await this.kafkaRestart();
        }
        if (killDay) await this.killMidAccrual(day + 1, 0);
        if (day + 1 >= FIRST_DRAWDOWN_DAY) restCalls.push(...(await this.drawOnLines(day)));
        if ((day + 1) % 10 === 0)
          this.log(
            `  day ${day + 1}/${this.market.days}: ${this.goodSent} good events, ${this.badSent.length} bad, ${this.kafkaDrawdowns} drawdowns by Kafka, ${this.restDrawdowns.length} by REST`,
          );
        await sleep(Math.max(0, this.sizes.dayPaceMs - (Date.now() - started)));
      }
      await Promise.all(restCalls);
      await this.settleServerRestart();
      await Promise.all(this.background);
      // Kills the market's days could not land (lending, behind under the other faults, had no
      // loans to accrue yet) land on the days after its last, once the loans are paid out.
      for (
        let day = this.market.days + 1;
        this.faults.has('accrual-kill') &&
        this.accrualKills.length < this.sizes.accrualKills &&
        day <= this.market.days + 2 * this.sizes.accrualKills;
        day += 1
      ) {
        await this.untilPaidOut(ACCRUAL_KILL_UP_TIMEOUT_MS);
        await this.killMidAccrual(day, ACCRUAL_KILL_UP_TIMEOUT_MS);
        await Promise.all(this.background);
      }
    } finally {
      this.loadRunning = false;
    }
  }

  /**
   * Once, before the first drawdown: until the profiler and the underwriter have caught up with
   * the market (faults and all), so that lines exist to draw on. Bounded; drawdowns start anyway.
   */
  private async waitForUnderwriting(): Promise<void> {
    const groups = consumerGroups(this.namespace.namespace).filter((group) => group.service !== 'lending');
    const deadline = Date.now() + CATCH_UP_BEFORE_DRAWDOWNS_MS;
    const started = Date.now();
    while (Date.now() < deadline) {
      const lags = await groupLags(this.namespace.admin, this.namespace.namespace, groups);
      if (lags.every((lag) => lag.committed >= lag.end)) {
        this.log(
          `  the underwriter caught up with the market in ${((Date.now() - started) / 1000).toFixed(1)} s: drawdowns start`,
        );
        return;
      }
      await sleep(QUIESCE_POLL_MS);
    }
    this.log(
      `  the underwriter did not catch up in ${CATCH_UP_BEFORE_DRAWDOWNS_MS} ms: drawdowns start anyway`,
    );
  }

  /**
   * The Redis loss: every key of the run's profile prefix deleted at once (not FLUSHALL: the
   * server is shared), with the profiler and the underwriter running. Remembers when, by the
   * database's clock (the decisions' recorded_at), so the decisions made on partial profiles
   * can be found afterwards.
   */
  private async flushProfiles(): Promise<void> {
    const [now] = await this.query<Array<{ at: Date }>>(`SELECT clock_timestamp() AS at`);
    const deleted = await deleteKeysUnder(this.redis, this.keyPrefix);
    this.redisFlush = { at: now.at as Date, keysDeleted: deleted, rebuildAt: null };
    this.log(`  Redis: ${deleted} profile keys deleted under ${this.keyPrefix}:*`);
  }

  /**
   * After a Redis loss, what an operator does (DESIGN.md, "Redis is rebuildable"): stop the
   * profiler, drop what it rebuilt from mid-stream, rewind its group to offset 0 and start it
   * again, so that every profile is rebuilt from the topics.
   */
  async rebuildProfilesAfterFlush(): Promise<void> {
    if (this.redisFlush === null) throw new Error('no Redis flush to rebuild from');
    const profiler = consumerGroups(this.namespace.namespace).find((group) => group.service === 'profiler')!;
    await this.fleet.stop('profiler');
    const [now] = await this.db.query(`SELECT clock_timestamp() AS at`);
    this.redisFlush.rebuildAt = now.at as Date;
    await deleteKeysUnder(this.redis, this.keyPrefix);
    for (const topic of profiler.topics)
      await this.resetWhenEmpty(profiler.groupId, namespacedTopic(topic, this.namespace.namespace));
    await this.fleet.start('profiler');
  }

  /**
   * The market days the Postgres faults happen on (the connection cuts and the server
   * restarts): spread over lending's days, none on the flush's.
   */
  private outageDays(): number[] {
    const first = FIRST_DRAWDOWN_DAY + 1;
    const span = Math.max(1, this.market.days - first);
    const count = this.sizes.postgresOutages + this.sizes.postgresServerRestarts;
    const days: number[] = [];
    for (let index = 0; index < count; index += 1) {
      let day = first + Math.floor((index * span) / count);
      if (day === FIRST_DRAWDOWN_DAY + REDIS_FLUSH_DAYS_AFTER_FIRST_DRAWDOWN) day += 1;
      days.push(day);
    }
    return days;
  }

  /** Which of outageDays() restart the server (spread among the cuts); the others cut connections. */
  private serverRestartIndices(): number[] {
    const count = this.sizes.postgresOutages + this.sizes.postgresServerRestarts;
    const restarts = this.sizes.postgresServerRestarts;
    return Array.from({ length: restarts }, (_, index) => Math.floor(((index + 0.5) * count) / restarts));
  }

  /** Until a server restart in flight is over: the other faults come one at a time. */
  private async settleServerRestart(): Promise<void> {
    const restart = this.serverRestart;
    this.serverRestart = null;
    await restart;
  }

  /**
   * A real restart of the whole Postgres server, under load: `pg_ctlcluster <version> <cluster>
   * stop -m fast` (every session on the server ends, open transactions roll back), down for
   * `postgresServerDownMs` while the market goes on, then `start`, and back once it accepts
   * connections. Only a local cluster this machine's pg_ctlcluster runs on the server's port
   * (localLocalCluster); any other server, or a stop refused, gets the connection cut instead,
   * and the report says the restart did not run and why. The server is shared by everything on
   * this machine: CHAOS_POSTGRES_SERVER_RESTART=0 turns the restart off.
   */
  private async postgresServerRestart(): Promise<void> {
    const target = await localCluster(this.serverUrl);
    if (typeof target === 'string') {
      this.postgresServerRestartSkipped = target;
      this.log(`  Postgres: server restart not run (${target}): the connections are cut instead`);
      await this.postgresOutage();
      return;
    }
    const cluster = `${target.version} ${target.cluster}`;
    const [{ sessions }] = await this.query<Array<{ sessions: number }>>(
      `SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE datname = $1`,
      [this.database.name],
    );
    const started = Date.now();
    try {
      await execFileAsync('pg_ctlcluster', [target.version, target.cluster, 'stop', '-m', 'fast'], {
        timeout: SERVER_START_TIMEOUT_MS,
      });
    } catch (error) {
      // Refused (not permitted, say): if it did stop after all, it must come back.
      await this.startCluster(target).catch(() => undefined);
      this.postgresServerRestartSkipped = `pg_ctlcluster ${cluster} stop failed: ${oneLine(error)}`;
      this.log(`  Postgres: ${this.postgresServerRestartSkipped}: the connections are cut instead`);
      await this.postgresOutage();
      return;
    }
    await sleep(this.sizes.postgresServerDownMs);
    await this.startCluster(target);
    const downMs = Date.now() - started;
    this.postgresServerRestarts.push({ downMs, sessions, cluster });
    this.log(
      `  Postgres: server ${cluster} restarted (stop -m fast, ${sessions} sessions of the run ended), away ${downMs} ms`,
    );
  }

  /** Starts the cluster (a few tries) and waits until it accepts connections: never leave the shared server down. */
  private async startCluster(target: { version: string; cluster: string }): Promise<void> {
    const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
    const maintenance = maintenanceDatabaseUrl(this.serverUrl);
    let lastError: unknown;
    for (;;) {
      try {
        await execFileAsync('pg_ctlcluster', [target.version, target.cluster, 'start'], {
          timeout: SERVER_START_TIMEOUT_MS,
        });
      } catch (error) {
        lastError = error; // "already running" too: whether it accepts connections says
      }
      try {
        await withPostgresConnection(maintenance, (db) => db.query('SELECT 1'));
        return;
      } catch (error) {
        lastError = error;
      }
      if (Date.now() > deadline)
        throw new Error(
          `Postgres ${target.version} ${target.cluster} does not accept connections ${SERVER_START_TIMEOUT_MS} ms after its restart: ${oneLine(lastError)}`,
        );
      await sleep(500);
    }
  }

  /**
   * A Postgres restart as the services see it, for the run's database only (the server is
   * shared): it stops taking connections and every session on it is terminated, mid-transaction
   * or not; after `postgresOutageMs` it takes connections again. The services must retry (never
   * dead-letter), lose nothing and resume.
   */
  private async postgresOutage(): Promise<void> {
    const maintenance = maintenanceDatabaseUrl(this.serverUrl);
    const name = this.database.name; // ours: letters, digits and "_", so it can be spliced in
    let terminated = 0;
    await withPostgresConnection(maintenance, async (db) => {
      await db.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`);
      const rows: unknown[] = await db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [name],
      );
      terminated = rows.length;
    });
    await sleep(this.sizes.postgresOutageMs);
    await withPostgresConnection(maintenance, (db) =>
      db.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS true`),
    );
    this.postgresOutages.push({ sessionsTerminated: terminated, ms: this.sizes.postgresOutageMs });
    this.log(
      `  Postgres: ${terminated} sessions terminated, no connections for ${this.sizes.postgresOutageMs} ms`,
    );
  }

  /** Sets the business clock to the start of market day `day` (0: the market's first): the review accrues every day before it. */
  private setClock(day: number): void {
    this.businessNow = new Date(Date.parse(String(this.market.start)) + day * DAY_MS).toISOString();
    // Written beside and renamed over: the service never reads half an instant.
    const next = `${this.clockFile}.next`;
    writeFileSync(next, `${this.businessNow}\n`);
    renameSync(next, this.clockFile);
  }

  /**
   * Whether an accrual kill is tried at the end of market day `day`: every day from the second
   * of lending's while kills remain, when lending is up and nobody else is killing or starting
   * it (a crash's restart); otherwise the day is reviewed undisturbed and the next one tries.
   */
  private accrualKillDue(day: number): boolean {
    return (
      this.faults.has('accrual-kill') &&
      day >= FIRST_DRAWDOWN_DAY + 2 &&
      this.accrualKills.length < this.sizes.accrualKills &&
      !this.lockHeld.has('lending') &&
      this.fleet.isUp('lending')
    );
  }

  /** Until no loan awaits treasury (at most `timeoutMs`): the loans are active, so a review has days to accrue. */
  private async untilPaidOut(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const [row] = await this.query<Array<{ unpaid: number }>>(
        `SELECT count(*)::int AS unpaid FROM loans WHERE status = 'PENDING_DISBURSEMENT'`,
      );
      if (row!.unpaid === 0) return;
      await sleep(QUIESCE_POLL_MS);
    }
  }

  /** The active loans not yet accrued through the day before `asOf` (nor past their last accruable day). */
  private async loansBehind(asOf: string, among?: readonly string[]): Promise<string[]> {
    const rows = await this.query<Array<{ loan_id: string }>>(
      `SELECT loan_id::text FROM loans
       WHERE status = 'ACTIVE'
         AND last_accrued_day < least($1::date - 1, (due_at AT TIME ZONE 'UTC')::date + $2::int - 1)
         AND ($3::uuid[] IS NULL OR loan_id = ANY($3::uuid[]))`,
      [asOf.slice(0, 10), this.writeOffDaysPastDue, among ?? null],
    );
    return rows.map((row) => row.loan_id);
  }

  /**
   * A SIGKILL of lending while its review accrues a day: with lending up, the loans the day
   * has to accrue are noted, the business clock is advanced (the review, every
   * REVIEW_INTERVAL_MS, starts on them, REVIEW_CHUNK loans a commit), and lending is killed once
   * a random number of them (at least one, not all) is accrued, or after ACCRUAL_KILL_WAIT_MS.
   * How many had accrued when it died is recorded (checks.ts: midAccrual). It is restarted at
   * once in the background (its boot runs the review again), while the load goes on. A day
   * with fewer than two loans to accrue cannot be killed mid-accrual: it is reviewed in peace,
   * and not counted.
   */
  private async killMidAccrual(day: number, upTimeoutMs: number): Promise<void> {
    await this.settleServerRestart();
    let armed: () => void = () => undefined;
    const killed = new Promise<void>((resolve) => (armed = resolve));
    const cycle = this.exclusive('lending', async () => {
      try {
        const asOf = new Date(Date.parse(String(this.market.start)) + day * DAY_MS).toISOString();
        const due = (await this.fleet.whenUp('lending', upTimeoutMs)) ? await this.loansBehind(asOf) : [];
        this.setClock(day);
        if (due.length < 2) return;
        const target = randomInt(1, due.length);
        const deadline = Date.now() + ACCRUAL_KILL_WAIT_MS;
        while (Date.now() < deadline) {
          const behind = await this.loansBehind(asOf, due);
          if (due.length - behind.length >= target || behind.length === 0) break;
          await sleep(3);
        }
        await this.fleet.kill('lending');
        const behind = await this.loansBehind(asOf, due);
        this.accrualKills.push({
          day: asOf.slice(0, 10),
          due: due.length,
          accruedAtKill: due.length - behind.length,
        });
        this.log(
          `  lending killed during the review as of ${asOf.slice(0, 10)}: ${due.length - behind.length} of ${due.length} loans accrued`,
        );
      } finally {
        armed();
      }
      if (!this.fleet.isRunning('lending')) await this.fleet.start('lending');
    });
    cycle.catch(() => undefined);
    this.background.push(cycle);
    await Promise.race([killed, cycle]);
  }

  /** Runs `work` once every kill-and-restart of the service asked for before it is done. */
  private exclusive(name: ServiceName, work: () => Promise<void>): Promise<void> {
    const next = (this.locks.get(name) ?? Promise.resolve()).then(async () => {
      this.lockHeld.add(name);
      try {
        await work();
      } finally {
        this.lockHeld.delete(name);
      }
    });
    this.locks.set(
      name,
      next.catch(() => undefined),
    );
    return next;
  }

  /** The market days the broker restarts on: spread over lending's days, the day after an outage's. */
  private kafkaRestartDays(): number[] {
    const first = FIRST_DRAWDOWN_DAY + 2;
    const span = Math.max(1, this.market.days - first);
    const flushDay = FIRST_DRAWDOWN_DAY + REDIS_FLUSH_DAYS_AFTER_FIRST_DRAWDOWN;
    const outages = new Set(this.faults.has('postgres-restart') ? this.outageDays() : []);
    const days: number[] = [];
    for (let index = 0; index < this.sizes.kafkaRestarts; index += 1) {
      let day = first + Math.floor((index * span) / this.sizes.kafkaRestarts);
      while (day === flushDay || outages.has(day)) day += 1;
      days.push(day);
    }
    return days;
  }

  /**
   * A Kafka broker restart, with every service and the treasury connected: Kafka's clean
   * shutdown (SIGTERM), then a start on the same data. The services must retry (never
   * dead-letter for it), lose nothing and resume. Only the broker this checkout's stack started
   * is restarted (in CI, the fresh clone's own): one started by another checkout is someone
   * else's to take down, and the fault is then reported as not injected.
   */
  private async kafkaRestart(): Promise<void> {
    const pid = runningBrokerPid();
    if (pid === undefined) {
      this.kafkaRestartSkipped =
        'not injected: the broker on the stack port was not started by this checkout (npm run stack -- up here starts one)';
      this.log(`  Kafka: ${this.kafkaRestartSkipped}`);
      return;
    }
    const started = Date.now();
    const stopped = await stopBroker(pid);
    // The stack's own partition count (KAFKA_PARTITIONS, validated): the broker comes back as `stack up` starts it.
    await startBroker(loadPlatformEnv().KAFKA_PARTITIONS);
    const downMs = Date.now() - started;
    this.kafkaRestarts.push({ stopped, downMs });
    this.log(`  Kafka: broker restarted (${stopped} stop), away for ${downMs} ms`);
  }

  /** The harness's own queries during the load: its pool's sessions die with an outage too. */
  private async query<T>(sql: string, parameters: unknown[] = []): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return (await this.db.query(sql, parameters)) as T;
      } catch (error) {
        // A server restart keeps it away longer than a connection cut: up to ~15 s.
        if (attempt >= 30) throw error;
        await sleep(500);
      }
    }
  }

  get loadIsRunning(): boolean {
    return this.loadRunning;
  }

  private async publishGood(
    messages: ReadonlyArray<{ topic: TopicName; key: string; value: string }>,
  ): Promise<void> {
    const byTopic = new Map<
      TopicName,
      Array<{ key: string; value: string; headers: Record<string, string> }>
    >();
    for (const message of messages) {
      const list = byTopic.get(message.topic) ?? [];
      list.push({ key: message.key, value: message.value, headers: { ...CLOUDEVENT_HEADERS } });
      byTopic.set(message.topic, list);
    }
    for (const [topic, list] of byTopic)
      for (let from = 0; from < list.length; from += 1_000)
        await this.producer!.send({
          topic: this.namespace.physical(topic),
          messages: list.slice(from, from + 1_000),
        });
  }

  private async publishBad(messages: readonly HostileMessage[], firstIndex: number): Promise<void> {
    const byTopic = new Map<
      TopicName,
      Array<{ key: string; value: Buffer; headers: Record<string, string> }>
    >();
    messages.forEach((message, index) => {
      const marker = `bad-${firstIndex + index}`;
      const consumers = HOSTILE_TOPICS.find((entry) => entry.topic === message.topic)!.consumers;
      this.badSent.push({ marker, topic: message.topic, consumers, category: message.category });
      const list = byTopic.get(message.topic) ?? [];
      list.push({ key: message.key, value: message.value, headers: { [BAD_MESSAGE_HEADER]: marker } });
      byTopic.set(message.topic, list);
    });
    for (const [topic, list] of byTopic)
      for (let from = 0; from < list.length; from += 100)
        await this.producer!.send({
          topic: this.namespace.physical(topic),
          messages: list.slice(from, from + 100),
        });
  }

  /** A third of the merchants with room and no open loan draw a fifth of it; one of them per day through the API. */
  private async drawOnLines(day: number): Promise<Promise<void>[]> {
    const lines = await this.query<Array<{ merchant_id: string; available_minor: string }>>(
      `SELECT merchant_id, available_minor FROM credit_lines
       WHERE status = 'ACTIVE' AND currency = $1 AND available_minor >= 500000
         AND NOT EXISTS (SELECT 1 FROM loans WHERE loans.merchant_id = credit_lines.merchant_id
                           AND loans.status IN ('PENDING_DISBURSEMENT', 'ACTIVE'))
       ORDER BY merchant_id`,
      [CURRENCY],
    );
    const drawing = lines.filter((_, index) => (index + day) % 3 === 0);
    const at = new Date(Date.parse(String(this.market.start)) + day * DAY_MS + 12 * 3_600_000);
    const [viaApi, ...viaKafka] = drawing;
    const messages = viaKafka.map((line) => {
      const requestId = `chaos-draw-${day}-${line.merchant_id}`;
      const event = createEvent({
        type: 'drawdown.requested',
        id: requestId,
        source: '/platform/merchant-portal',
        time: at,
        data: {
          merchantId: line.merchant_id,
          requestId,
          amountMinor: (BigInt(line.available_minor) / 5n / 100n) * 100n,
          currency: CURRENCY,
          termDays: 30,
        },
      });
      return { key: line.merchant_id, value: encodeEvent(event), headers: { ...CLOUDEVENT_HEADERS } };
    });
    if (messages.length > 0) {
      await this.producer!.send({ topic: this.namespace.physical(Topics.drawdownRequests), messages });
      this.kafkaDrawdowns += messages.length;
    }
    if (viaApi === undefined) return [];
    const drawdown: RestDrawdown = {
      merchantId: viaApi.merchant_id,
      requestId: `chaos-rest-${day}-${viaApi.merchant_id}`,
      status: 0,
      attempts: 0,
    };
    this.restDrawdowns.push(drawdown);
    const body = JSON.stringify({
      amountMinor: String((BigInt(viaApi.available_minor) / 10n / 100n) * 100n),
      currency: CURRENCY,
      termDays: 30,
    });
    return [this.postUntilAnswered(drawdown, body)];
  }

  /** Retries one drawdown with the same key until the API answers (it may be dead or booting). */
  private async postUntilAnswered(drawdown: RestDrawdown, body: string): Promise<void> {
    const deadline = Date.now() + REST_ANSWER_TIMEOUT_MS;
    while (Date.now() < deadline) {
      drawdown.attempts += 1;
      try {
        const response = await fetch(`${this.apiBase}/v1/merchants/${drawdown.merchantId}/drawdowns`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.apiToken}`,
            'content-type': 'application/json',
            'idempotency-key': drawdown.requestId,
          },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        // A 5xx (a dependency down, the database restarting) is retried with the same key, as a
        // client would; it is counted, and the final answer must not be one.
        if (response.status >= 500) this.restServerErrors += 1;
        else {
          drawdown.status = response.status;
          return;
        }
      } catch {
        // The API is down (killed) or booting: the same key again, as a client would.
      }
      await sleep(REST_RETRY_MS);
    }
  }

  /**
   * SIGKILLs each service `killsPerService` times at random moments, and restarts it at once.
   * Half the kills land a random time after the service came up (mid-batch, between a commit
   * and its publish, mid-relay, mid-request), half a random time after it was spawned (during
   * its boot: connecting, migrating, joining its group). The services are killed independently
   * and concurrently.
   */
  async crashServices(): Promise<void> {
    await Promise.all(
      SERVICE_NAMES.map(async (name: ServiceName) => {
        let ready: Promise<void> = Promise.resolve();
        for (let kill = 0; kill < this.sizes.killsPerService; kill += 1) {
          if (kill % 2 === 0) await ready;
          await sleep(randomInt(this.sizes.killUptimeMsMin, this.sizes.killUptimeMsMax));
          await this.exclusive(name, async () => {
            await this.fleet.kill(name);
            ready = this.fleet.start(name);
            // A kill during boot leaves the next start's readiness unobserved: never an unhandled rejection.
            ready.catch(() => undefined);
          });
        }
        await ready;
      }),
    );
  }

  /**
   * Rebalances under load: a second instance of each consumer (profiler, underwriter, lending)
   * joins its group, takes half the partitions for a random while, and leaves again (SIGTERM:
   * it drains and leaves the group), `rebalancesPerService` times, the three concurrently.
   */
  async rebalanceConsumers(): Promise<void> {
    const consumers: ServiceName[] = ['profiler', 'underwriter', 'lending'];
    await Promise.all(
      consumers.map(async (name) => {
        for (let cycle = 0; cycle < this.sizes.rebalancesPerService; cycle += 1) {
          await sleep(randomInt(this.sizes.killUptimeMsMin, this.sizes.killUptimeMsMax));
          await this.fleet.start(name, 2);
          await sleep(randomInt(this.sizes.killUptimeMsMin, this.sizes.killUptimeMsMax));
          await this.fleet.stop(name, 2);
          this.rebalances += 2;
        }
      }),
    );
  }

  /**
   * Until every group has committed to the end of its topics, the outbox is drained, every
   * disbursement has treasury's answer, and none of that moved between two looks.
   */
  async quiesce(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const groups = consumerGroups(this.namespace.namespace);
    let previous = '';
    for (;;) {
      const lags = await groupLags(this.namespace.admin, this.namespace.namespace, groups);
      const behind = lags.filter((lag) => lag.committed < lag.end).length;
      const [pending] = await this.db.query(
        `SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL)::int AS unsent,
                (SELECT count(*) FROM loans WHERE status = 'PENDING_DISBURSEMENT')::int AS unpaid,
                (SELECT count(*) FROM shadow_decision_queue)::int AS unshadowed,
                (SELECT count(*) FROM pending_decisions)::int AS undecided`,
      );
      // The review has accrued every active loan up to the business clock.
      const unaccrued = (await this.loansBehind(this.businessNow)).length;
      const state = JSON.stringify([lags.map((lag) => String(lag.end)), pending, unaccrued]);
      if (
        behind === 0 &&
        pending.unsent === 0 &&
        pending.unpaid === 0 &&
        // The challengers decide after a linger window (the shadow lane): their decisions are
        // writes too, and a snapshot taken before them would see them arrive later.
        pending.unshadowed === 0 &&
        // Likewise the merchants whose signals wait for the pending lane's decision.
        pending.undecided === 0 &&
        unaccrued === 0 &&
        state === previous
      )
        return;
      if (Date.now() > deadline)
        throw new Error(
          `the services did not settle in ${timeoutMs} ms: ${behind} partitions behind, ${pending.unsent} outbox rows unsent, ${pending.unpaid} loans awaiting treasury, ${pending.unshadowed} live decisions awaiting the shadow lane, ${pending.undecided} merchants awaiting a pending decision, ${unaccrued} loans not accrued to ${this.businessNow}`,
        );
      previous = state;
      await sleep(QUIESCE_POLL_MS);
    }
  }

  /**
   * Rewinds every consumer group to offset 0 while the system runs: a group must be empty to be
   * reset, so each service is stopped (SIGTERM), its group set to the earliest offsets, and
   * restarted; it then reads its whole history again.
   */
  async rewindAllGroups(): Promise<number> {
    let rewound = 0;
    for (const group of consumerGroups(this.namespace.namespace)) {
      await this.fleet.stop(group.service);
      for (const topic of group.topics) {
        await this.resetWhenEmpty(group.groupId, namespacedTopic(topic, this.namespace.namespace));
        rewound += 1;
      }
      await this.fleet.start(group.service);
    }
    return rewound;
  }

  private async resetWhenEmpty(groupId: string, topic: string): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.namespace.admin.resetOffsets({ groupId, topic, earliest: true });
        return;
      } catch (error) {
        // A member killed earlier may still hold the group until its session expires.
        if (attempt >= 30) throw error;
        await sleep(1_000);
      }
    }
  }

  figures(): Promise<Record<string, string | number>> {
    return stateFigures(this.db);
  }

  async close(keep: boolean): Promise<void> {
    await this.treasury?.stop().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.fleet.stopAll();
    if (keep) {
      this.log(
        `kept topics ${this.namespace.namespace}.*, Redis keys ${this.keyPrefix}:* and database ${this.database.name}`,
      );
      await this.namespace.admin.disconnect();
      await this.database.release();
    } else {
      await deleteKeysUnder(this.redis, this.keyPrefix).catch(() => undefined);
      await deleteKeysUnder(this.redis, `${this.keyPrefix}-rl`).catch(() => undefined);
      await deleteKeysUnder(this.redis, `${this.keyPrefix}c`).catch(() => undefined);
      await this.namespace.dispose();
      await this.database.drop();
    }
    this.redis.disconnect();
    rmSync(this.clockFile, { force: true });
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

const oneLine = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim().slice(0, 200);

/**
 * The local cluster serving `serverUrl` that this machine's pg_ctlcluster can restart, or why
 * there is none: a server elsewhere, no pg_ctlcluster, no online cluster on that port, or the
 * restart turned off (CHAOS_POSTGRES_SERVER_RESTART=0).
 */
export async function localCluster(
  serverUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ version: string; cluster: string } | string> {
  if (env.CHAOS_POSTGRES_SERVER_RESTART === '0') return 'turned off: CHAOS_POSTGRES_SERVER_RESTART=0';
  const url = new URL(serverUrl);
  const port = url.port === '' ? '5432' : url.port;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(url.hostname))
    return `the server ${url.hostname}:${port} is not on this machine`;
  let listing: string;
  try {
    listing = (await execFileAsync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' })).stdout;
  } catch (error) {
    return `no pg_lsclusters here to find the server's cluster (${oneLine(error)})`;
  }
  const columns = listing
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .find((fields) => fields[2] === port && fields[3]?.startsWith('online') === true);
  if (columns === undefined) return `no online cluster pg_lsclusters knows listens on port ${port}`;
  return { version: columns[0]!, cluster: columns[1]! };
}
