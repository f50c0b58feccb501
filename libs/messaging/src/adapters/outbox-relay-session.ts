import { DataSource, QueryRunner } from 'typeorm';
import { OUTBOX_NOTIFY_CHANNEL } from './outbox-transaction';

/** What pg's client emits for a NOTIFY; typed here because the project has no @types/pg. */
interface NotificationSource {
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
}

/**
 * The relay's own Postgres session: it holds the relay's session-level advisory locks (its
 * shards and its membership) and LISTENs for inserts. It is a one-connection DataSource of
 * its own, not a connection borrowed from the app's pool, for one reason: a pooled connection
 * goes back to the pool still holding its session locks, while closing this one always ends
 * the Postgres session, and with it every lock it held. A crash has the same effect (the
 * server ends the session when the connection drops), which is what makes shards fail over.
 *
 * Any failed query marks the session broken: its locks may be gone, so the relay stops
 * publishing, closes it and opens a new one.
 */
export class OutboxRelaySession {
  private isBroken = false;

  private constructor(
    private readonly dataSource: DataSource,
    private readonly runner: QueryRunner,
    /** The schema whose outbox table this session sees (`public`, or a test's own). */
    readonly schema: string,
  ) {}

  /** Opens the session with the app DataSource's settings; fails if the outbox table is missing. */
  static async open(
    appDataSource: DataSource,
    settings: { readonly applicationName: string; readonly onInsert: (() => void) | undefined },
  ): Promise<OutboxRelaySession> {
    const options = appDataSource.options;
    if (options.type !== 'postgres')
      throw new Error(`The outbox relay needs PostgreSQL, not ${options.type}`);
    const dataSource = new DataSource({
      ...options,
      applicationName: settings.applicationName,
      poolSize: 1,
      entities: [],
      migrations: [],
      subscribers: [],
      synchronize: false,
      migrationsRun: false,
      dropSchema: false,
    });
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as NotificationSource;
      const [found]: Array<{ schema: string; outbox: string | null }> = await runner.query(
        `SELECT current_schema() AS schema, to_regclass('outbox')::text AS outbox`,
      );
      if (found?.outbox == null) {
        throw new Error(`No outbox table in schema ${found?.schema ?? '(none)'}: run the migrations`);
      }
      const { onInsert } = settings;
      if (onInsert !== undefined) {
        client.on('notification', (message) => {
          if (message.channel === OUTBOX_NOTIFY_CHANNEL && message.payload === found.schema) onInsert();
        });
        await runner.query(`LISTEN ${OUTBOX_NOTIFY_CHANNEL}`);
      }
      return new OutboxRelaySession(dataSource, runner, found.schema);
    } catch (error) {
      await runner.release().catch(() => undefined);
      await dataSource.destroy().catch(() => undefined);
      throw error;
    }
  }

  get broken(): boolean {
    return this.isBroken;
  }

  async query<T>(sql: string, parameters: readonly unknown[] = []): Promise<T[]> {
    if (this.isBroken) throw new Error('The outbox relay session is broken');
    try {
      return (await this.runner.query(sql, [...parameters])) as T[];
    } catch (error) {
      this.isBroken = true;
      throw error;
    }
  }

  /** Ends the Postgres session: every advisory lock it held is released, the LISTEN ends. */
  async close(): Promise<void> {
    this.isBroken = true;
    await this.runner.release().catch(() => undefined);
    await this.dataSource.destroy();
  }
}
