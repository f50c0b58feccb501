/**
 * `stack up`: Kafka, PostgreSQL and Redis running, the database migrated, every contract
 * topic created. Idempotent: on a running stack it only checks, in about a second.
 */
import { runMigrations } from '@lendstream/platform';
// Imported from the file, not the contracts index: the stack needs the names only, and must
// work while the rest of the contracts library is being changed.
import { ALL_TOPICS } from '../../libs/contracts/src/topics';
import { parseHostPort, resolveEndpoints, type StackEndpoints } from './endpoints';
import { StackError, errorMessage } from './errors';
import { ensureTopics, warmUpCoordinators } from './kafka-admin';
import { forgetBrokerPid, runningBrokerPid, startBroker, waitUntilServing } from './kafka-broker';
import { kafkaJarsPresent } from './kafka-jars';
import { say, seconds, warn } from './log';
import { withStackLock } from './lock';
import { ensurePostgres } from './postgres';
import { requireJava, requireMaven } from './prerequisites';
import { ensureRedis } from './redis';
import { canConnect } from './wait';

/** A broker we did not start must already be up: a short wait covers one that is just starting. */
const EXTERNAL_BROKER_WAIT_MS = 20_000;

type KafkaPlan =
  | { kind: 'external' }
  | { kind: 'ours-running'; pid: number }
  | { kind: 'someone-elses' }
  | { kind: 'start' };

export async function up(): Promise<void> {
  const started = Date.now();
  const endpoints = resolveEndpoints();
  await withStackLock(async () => {
    const kafkaPlan = await planKafka(endpoints);
    if (kafkaPlan.kind === 'start') {
      // Fail on a missing tool before starting anything else.
      await requireJava();
      if (!kafkaJarsPresent()) requireMaven();
    }
    const outcomes = await Promise.allSettled([
      bringUpKafka(endpoints, kafkaPlan),
      ensurePostgres(endpoints.postgres).then(() => migrate(endpoints.postgres.url)),
      ensureRedis(endpoints.redis),
    ]);
    const failures = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
    );
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new StackError(failures.map(errorMessage).join('\n'));
    await createTopics(endpoints);
    await warmUpCoordinators(endpoints.kafka.brokers, ALL_TOPICS[0]!);
  });
  say(
    'stack',
    `up in ${seconds(started)}: Kafka ${endpoints.kafka.brokers.join(',')}, PostgreSQL ${endpoints.postgres.host}:${endpoints.postgres.port}, Redis ${endpoints.redis.host}:${endpoints.redis.port}`,
  );
}

async function planKafka(endpoints: StackEndpoints): Promise<KafkaPlan> {
  if (!endpoints.kafka.managed) return { kind: 'external' };
  const pid = runningBrokerPid();
  if (pid !== undefined) return { kind: 'ours-running', pid };
  const local = parseHostPort(endpoints.kafka.brokers[0]!);
  if (await canConnect(local.host, local.port)) return { kind: 'someone-elses' };
  return { kind: 'start' };
}

async function bringUpKafka(endpoints: StackEndpoints, plan: KafkaPlan): Promise<void> {
  const brokers = endpoints.kafka.brokers;
  switch (plan.kind) {
    case 'external':
      // KAFKA_BROKERS names another broker: use it, never start one.
      await waitUntilServing({
        brokers,
        timeoutMs: EXTERNAL_BROKER_WAIT_MS,
        hint: 'KAFKA_BROKERS names a broker the stack does not run: start it, or unset KAFKA_BROKERS to use the local one',
      });
      say('kafka', `using ${brokers.join(',')} (from KAFKA_BROKERS; not started by the stack)`);
      return;
    case 'ours-running':
      await waitUntilServing({ pid: plan.pid, brokers });
      say('kafka', `already running on ${brokers.join(',')} (pid ${plan.pid}, started by the stack)`);
      return;
    case 'someone-elses':
      await waitUntilServing({
        brokers,
        timeoutMs: EXTERNAL_BROKER_WAIT_MS,
        hint: `something not started by the stack holds ${brokers.join(',')} and is not a Kafka broker: stop it`,
      });
      say('kafka', `a broker not started by the stack serves ${brokers.join(',')}; using it`);
      return;
    case 'start':
      forgetBrokerPid(); // a stale pid file from a broker that died
      await startBroker(endpoints.partitions);
      return;
  }
}

async function migrate(databaseUrl: string): Promise<void> {
  const report = await runMigrations(databaseUrl).catch((error: unknown) => {
    throw new StackError(
      `migrating ${new URL(databaseUrl).pathname.slice(1)} failed: ${errorMessage(error)}`,
    );
  });
  const database = new URL(databaseUrl).pathname.slice(1);
  if (report.createdDatabase) say('migrate', `created database ${database}`);
  say(
    'migrate',
    report.applied.length > 0 ? `applied ${report.applied.join(', ')}` : `${database}: schema up to date`,
  );
}

async function createTopics(endpoints: StackEndpoints): Promise<void> {
  const report = await ensureTopics(endpoints.kafka.brokers, ALL_TOPICS, endpoints.partitions);
  if (report.created.length > 0) {
    say(
      'topics',
      `created ${report.created.length} with ${endpoints.partitions} partitions: ${report.created.join(', ')}`,
    );
  }
  if (report.alreadyThere.length > 0)
    say('topics', `${report.alreadyThere.length} of ${ALL_TOPICS.length} already exist`);
  if (report.underPartitioned.length > 0) {
    const listed = report.underPartitioned
      .map(({ topic, partitions }) => `${topic} (${partitions})`)
      .join(', ');
    warn(
      'topics',
      `fewer partitions than KAFKA_PARTITIONS=${endpoints.partitions} asks, left as they are: ${listed}. ` +
        'Adding partitions would move keys to other partitions; `npm run stack -- down --purge` then `up` recreates them.',
    );
  }
}
