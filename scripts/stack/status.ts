/**
 * `stack status`: one line per service: where it runs, its pid, whether the stack started
 * it. Exits 0 when all three answer, 3 otherwise (so scripts can ask "is the stack up?").
 */
import { ALL_TOPICS } from '../../libs/contracts/src/topics';
import { parseHostPort, resolveEndpoints } from './endpoints';
import { errorMessage } from './errors';
import { listUserTopics } from './kafka-admin';
import { runningBrokerPid } from './kafka-broker';
import { postgresStatus } from './postgres';
import { redisStatus } from './redis';
import { readState } from './state';
import { canConnect } from './wait';

export const STATUS_NOT_ALL_UP = 3;

export async function status(): Promise<number> {
  const endpoints = resolveEndpoints();
  const state = readState();
  const [kafka, postgres, redis] = await Promise.all([
    kafkaLine(endpoints.kafka.brokers, endpoints.kafka.managed),
    postgresStatus(endpoints.postgres, endpoints.postgres.url).then((s) =>
      line('postgres', `${endpoints.postgres.host}:${endpoints.postgres.port}`, s.reachable, [
        pidText(s.pid, state.postgres !== undefined),
        s.version ? `PostgreSQL ${s.version}` : '',
      ]),
    ),
    redisStatus(endpoints.redis, endpoints.redis.url).then((s) =>
      line('redis', `${endpoints.redis.host}:${endpoints.redis.port}`, s.reachable, [
        pidText(s.pid, state.redis?.port === endpoints.redis.port),
        s.version ? `Redis ${s.version}` : '',
      ]),
    ),
  ]);
  for (const service of [kafka, postgres, redis]) process.stdout.write(`${service.text}\n`);
  return [kafka, postgres, redis].every((service) => service.up) ? 0 : STATUS_NOT_ALL_UP;
}

async function kafkaLine(brokers: readonly string[], managed: boolean) {
  const where = brokers.join(',');
  const first = parseHostPort(brokers[0]!);
  const ourPid = managed ? runningBrokerPid() : undefined;
  if (!(await canConnect(first.host, first.port))) {
    return line('kafka', where, false, [
      ourPid ? `pid ${ourPid} (started by the stack, still starting?)` : '',
    ]);
  }
  const owner =
    ourPid !== undefined
      ? `pid ${ourPid} (started by the stack)`
      : managed
        ? 'not started by the stack'
        : 'from KAFKA_BROKERS, not started by the stack';
  try {
    const topics = await listUserTopics(brokers);
    const contract = ALL_TOPICS.filter((topic) => topics.includes(topic)).length;
    return line('kafka', where, true, [
      owner,
      `${topics.length} topics (${contract}/${ALL_TOPICS.length} of the contract)`,
    ]);
  } catch (error) {
    return line('kafka', where, false, [
      owner,
      `port open but not answering as Kafka: ${errorMessage(error)}`,
    ]);
  }
}

function pidText(pid: number | undefined, startedByStack: boolean): string {
  return `${pid ? `pid ${pid} ` : ''}(${startedByStack ? 'started by the stack' : 'not started by the stack'})`;
}

function line(service: string, where: string, up: boolean, details: readonly string[]) {
  const text = [
    service.padEnd(9),
    where.padEnd(16),
    (up ? 'running' : 'DOWN').padEnd(8),
    ...details.filter(Boolean),
  ]
    .join(' ')
    .trimEnd();
  return { up, text };
}
