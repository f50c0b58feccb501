import type { DataSource } from 'typeorm';
import { describeError } from '../describe-error';
import type { MessagingLogger } from '../logger';
import { OutboxRelaySession } from './outbox-relay-session';
import { OutboxShardLeases } from './outbox-shard-leases';

export interface ShardOwnershipSettings {
  readonly relayName: string;
  readonly shardCount: number;
  readonly rebalanceIntervalMs: number;
  /** Called on every insert notification; undefined: do not LISTEN. */
  readonly onInsert: (() => void) | undefined;
  readonly random: () => number;
  readonly logger: MessagingLogger;
}

/**
 * Which shards a relay may publish, kept true over time: it opens the relay's session (and
 * opens a new one when it breaks; the old one's locks may be gone), and rebalances the
 * leases every `rebalanceIntervalMs`. Any failure propagates: the relay's round fails, backs
 * off, and the next round asks again.
 */
export class OutboxShardOwnership {
  private connection: { session: OutboxRelaySession; leases: OutboxShardLeases } | undefined;
  private nextRebalanceAt = 0;
  private sessions = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: ShardOwnershipSettings,
  ) {}

  /** The shards held now, ascending; empty while no session is open. */
  held(): number[] {
    return this.connection?.leases.held() ?? [];
  }

  holds(shard: number): boolean {
    return this.connection?.leases.holds(shard) === true;
  }

  get schema(): string | undefined {
    return this.connection?.session.schema;
  }

  get sessionsOpened(): number {
    return this.sessions;
  }

  /** The shards to publish this round: reconnects a broken session, rebalances when due. */
  async current(): Promise<number[]> {
    if (this.connection?.session.broken === true) {
      this.settings.logger.warn(
        'The outbox relay lost its session; its shards are free until it reconnects',
        {
          relay: this.settings.relayName,
        },
      );
      await this.close();
    }
    if (this.connection === undefined) {
      await this.open();
    } else if (Date.now() >= this.nextRebalanceAt) {
      await this.connection.leases.rebalance();
      this.nextRebalanceAt = Date.now() + this.settings.rebalanceIntervalMs;
    }
    return this.held();
  }

  /** Ends the session, which releases every lease at once (the server drops its locks). */
  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.session.close().catch((error: unknown) =>
      this.settings.logger.warn('The outbox relay session did not close cleanly', {
        relay: this.settings.relayName,
        error: describeError(error),
      }),
    );
  }

  private async open(): Promise<void> {
    const session = await OutboxRelaySession.open(this.dataSource, {
      applicationName: this.settings.relayName,
      onInsert: this.settings.onInsert,
    });
    this.sessions += 1;
    try {
      const leases = await OutboxShardLeases.join(
        session,
        this.settings.shardCount,
        this.settings.random,
        this.settings.logger,
      );
      await leases.rebalance();
      this.connection = { session, leases };
      this.nextRebalanceAt = Date.now() + this.settings.rebalanceIntervalMs;
    } catch (error) {
      await session.close().catch(() => undefined);
      throw error;
    }
  }
}
