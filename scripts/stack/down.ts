/**
 * `stack down [--purge]`: stops what `up` started and nothing else. A broker, PostgreSQL or
 * Redis that was running before `up` (the machine's own, another engineer's) keeps running.
 */
import { say } from './log';
import { withStackLock } from './lock';
import { purgeBrokerData, runningBrokerPid, stopBroker } from './kafka-broker';
import { KAFKA_DATA_DIR, relative } from './paths';
import { stopPostgresIfOurs } from './postgres';
import { stopRedisIfOurs } from './redis';

export async function down({ purge }: { readonly purge: boolean }): Promise<void> {
  await withStackLock(async () => {
    // Kafka first: it is the one the apps' consumers and producers are talking to.
    const pid = runningBrokerPid();
    if (pid === undefined) {
      say('kafka', 'no broker started by the stack is running');
    } else {
      const outcome = await stopBroker(pid);
      say(
        'kafka',
        outcome === 'clean'
          ? `broker (pid ${pid}) shut down cleanly`
          : `broker (pid ${pid}) did not stop in time: killed`,
      );
    }
    say(
      'redis',
      (await stopRedisIfOurs())
        ? 'stopped (the stack had started it)'
        : 'left running (not started by the stack)',
    );
    say(
      'postgres',
      (await stopPostgresIfOurs())
        ? 'stopped (the stack had started it)'
        : 'left running (not started by the stack)',
    );
    if (purge) {
      purgeBrokerData();
      say('kafka', `purged ${relative(KAFKA_DATA_DIR)}: the next \`up\` formats a new cluster`);
    }
  });
}
