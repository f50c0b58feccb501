/**
 * The local stack: a real Kafka broker (KRaft, from Maven Central's jars), PostgreSQL and
 * Redis, with the database migrated and the contract's topics created.
 *
 *   npm run stack -- up              start what is not running (idempotent, fast when all runs)
 *   npm run stack -- down [--purge]  stop what `up` started; --purge also deletes Kafka's data
 *   npm run stack -- status          one line per service; exit 0 when all are up
 *
 * Honours KAFKA_BROKERS, DATABASE_URL, REDIS_URL and KAFKA_PARTITIONS (see libs/platform
 * config). Writes only under .stack/. Docs: /work/shared/KAFKA-LOCAL.md.
 */
import { down } from './down';
import { StackError, errorMessage } from './errors';
import { status } from './status';
import { up } from './up';

const USAGE = 'usage: npm run stack -- up | down [--purge] | status';

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...flags] = argv;
  const unknownFlags = flags.filter((flag) => !(command === 'down' && flag === '--purge'));
  if (unknownFlags.length > 0) {
    process.stderr.write(`stack: unknown option ${unknownFlags.join(' ')}\n${USAGE}\n`);
    return 2;
  }
  switch (command) {
    case 'up':
      await up();
      return 0;
    case 'down':
      await down({ purge: flags.includes('--purge') });
      return 0;
    case 'status':
      return status();
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`stack: unknown command ${command}\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A StackError is already a one-line "what and how to fix"; anything else is a bug here,
    // whose stack trace STACK_DEBUG=1 shows.
    const detail =
      error instanceof StackError || !process.env.STACK_DEBUG
        ? errorMessage(error)
        : String((error as Error).stack ?? error);
    process.stderr.write(`stack ${process.argv[2] ?? ''}: ${detail}\n`);
    process.exitCode = 1;
  },
);
