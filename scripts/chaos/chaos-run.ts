/**
 * One chaos run: a fresh topic namespace, scratch database and Redis key prefix; the real
 * services as child processes; the simulator's market (and treasury, so money moves) as load;
 * the selected faults injected while it runs; then everything is allowed to settle and
 * judged (checks.ts) against what was sent.
 */
import { randomInt } from 'node:crypto';
import net from 'node:net';
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

const DAY_MS = 86_400_000;
const CURRENCY = 'CNY';
/** A line exists only after the policy's 30-day tenure: drawdowns start a little after. */
const FIRST_DRAWDOWN_DAY = 31;
const QUIESCE_POLL_MS = 1_500;
const CATCH_UP_BEFORE_DRAWDOWNS_MS = 120_000;
const REDIS_FLUSH_DAYS_AFTER_FIRST_DRAWDOWN = 3;
const REST_RETRY_MS = 500;
const REST_ANSWER_TIMEOUT_MS = 90_000;
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
    const groups = consumerGroups(namespace.namespace);
    this.fleet = new ServiceFleet(
      () => ({
        KAFKA_TOPIC_NAMESPACE: namespace.namespace,
        PROFILE_KEY_PREFIX: keyPrefix,
        DATABASE_URL: database.url,
        PROFILER_GROUP_ID: groups[0]!.groupId,
        UNDERWRITER_GROUP_ID: groups[1]!.groupId,
        LENDING_GROUP_ID: groups[2]!.groupId,
        // Wall-clock sweeps and reviews would act on the simulated calendar at random moments,
        // and change state between the redelivery's before and after.
        SILENCE_SWEEP_INTERVAL_MS: '0',
        BUDGET_SWEEP_INTERVAL_MS: '0',
        LENDING_REVIEW_INTERVAL_MS: '0',
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
        if (day + 1 === FIRST_DRAWDOWN_DAY) await this.waitForUnderwriting();
        // Redis forgets every profile a few days into lending, while the market goes on.
        if (
          this.faults.has('redis-flush') &&
          day + 1 === FIRST_DRAWDOWN_DAY + REDIS_FLUSH_DAYS_AFTER_FIRST_DRAWDOWN
        )
          await this.flushProfiles();
        if (this.faults.has('postgres-restart') && this.outageDays().includes(day + 1))
          await this.postgresOutage();
        if (this.faults.has('kafka-restart') && this.kafkaRestartDays().includes(day + 1))
          await this.kafkaRestart();
        if (day + 1 >= FIRST_DRAWDOWN_DAY) restCalls.push(...(await this.drawOnLines(day)));
        if ((day + 1) % 10 === 0)
          this.log(
            `  day ${day + 1}/${this.market.days}: ${this.goodSent} good events, ${this.badSent.length} bad, ${this.kafkaDrawdowns} drawdowns by Kafka, ${this.restDrawdowns.length} by REST`,
          );
        await sleep(Math.max(0, this.sizes.dayPaceMs - (Date.now() - started)));
      }
      await Promise.all(restCalls);
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

  /** The market days the outages happen on: spread over lending's days, none on the flush's. */
  private outageDays(): number[] {
    const first = FIRST_DRAWDOWN_DAY + 1;
    const span = Math.max(1, this.market.days - first);
    const days: number[] = [];
    for (let index = 0; index < this.sizes.postgresOutages; index += 1) {
      let day = first + Math.floor((index * span) / this.sizes.postgresOutages);
      if (day === FIRST_DRAWDOWN_DAY + REDIS_FLUSH_DAYS_AFTER_FIRST_DRAWDOWN) day += 1;
      days.push(day);
    }
    return days;
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
        if (attempt >= 10) throw error;
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
          await this.fleet.kill(name);
          ready = this.fleet.start(name);
          // A kill during boot leaves the next start's readiness unobserved: never an unhandled rejection.
          ready.catch(() => undefined);
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
                (SELECT count(*) FROM loans WHERE status = 'PENDING_DISBURSEMENT')::int AS unpaid`,
      );
      const state = JSON.stringify([lags.map((lag) => String(lag.end)), pending]);
      if (behind === 0 && pending.unsent === 0 && pending.unpaid === 0 && state === previous) return;
      if (Date.now() > deadline)
        throw new Error(
          `the services did not settle in ${timeoutMs} ms: ${behind} partitions behind, ${pending.unsent} outbox rows unsent, ${pending.unpaid} loans awaiting treasury`,
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
