import { CloudEvent } from '@lendstream/contracts';
import { backoffDelayMs, describeError, MessagingLogger, RetryPolicy } from '@lendstream/messaging';

/** Where confirmations go: KafkaEventProducer.publishEvents in the treasury, a fake in tests. */
export interface ConfirmationSink {
  /** Resolves once every event is acknowledged by the broker; rejects if some may not be. */
  publishEvents(events: readonly CloudEvent[]): Promise<unknown>;
}

export interface ConfirmationPublisherOptions {
  /** Most events in one publish call (one produce request at most). */
  readonly maxEventsPerPublish: number;
  /** Backoff between attempts when the broker does not take a publish. */
  readonly retry: RetryPolicy;
  readonly logger: MessagingLogger;
  /** Once aborted, nothing more is published: events still waiting are refused. */
  readonly abandonSignal: AbortSignal;
  readonly random?: () => number;
}

/** Why a confirmation was not published: the treasury stopped before it was acknowledged. */
export class ConfirmationAbandonedError extends Error {
  constructor() {
    super('the treasury stopped before this confirmation was acknowledged');
    this.name = 'ConfirmationAbandonedError';
  }
}

interface Waiting {
  readonly event: CloudEvent;
  readonly acknowledged: () => void;
  readonly abandoned: (error: Error) => void;
}

/**
 * Publishes confirmations as they fall due, with one publish call in flight at a time: the
 * events that fall due while it is in flight go together in the next call. So a hundred
 * requests whose delays run out at the same moment cost one produce request, not a hundred
 * queued behind the idempotent producer's single in-flight request.
 *
 * A publish the broker does not take is retried with backoff until it is acknowledged or
 * the treasury stops: a confirmation is never dropped while the treasury runs, and the
 * caller learns of each event only once it is acknowledged (when its offset may be committed).
 */
export class ConfirmationPublisher {
  private readonly waiting: Waiting[] = [];
  private pumping = false;

  constructor(
    private readonly sink: ConfirmationSink,
    private readonly options: ConfirmationPublisherOptions,
  ) {
    if (!Number.isSafeInteger(options.maxEventsPerPublish) || options.maxEventsPerPublish < 1) {
      throw new RangeError(
        `maxEventsPerPublish must be a whole number >= 1, got ${options.maxEventsPerPublish}`,
      );
    }
    options.abandonSignal.addEventListener('abort', () => this.abandonWaiting(), { once: true });
  }

  /** Resolves once `event` is acknowledged; rejects with ConfirmationAbandonedError if the treasury stops first. */
  publish(event: CloudEvent): Promise<void> {
    if (this.options.abandonSignal.aborted) return Promise.reject(new ConfirmationAbandonedError());
    return new Promise<void>((acknowledged, abandoned) => {
      this.waiting.push({ event, acknowledged, abandoned });
      if (!this.pumping) void this.pump();
    });
  }

  /** Events waiting for a publish call (the one in flight excluded). */
  get backlog(): number {
    return this.waiting.length;
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.waiting.length > 0 && !this.options.abandonSignal.aborted) {
        const batch = this.waiting.splice(0, this.options.maxEventsPerPublish);
        if (await this.publishUntilAcknowledged(batch)) batch.forEach((entry) => entry.acknowledged());
        else batch.forEach((entry) => entry.abandoned(new ConfirmationAbandonedError()));
      }
    } finally {
      this.pumping = false;
    }
  }

  /** True once the broker acknowledged the batch; false if the treasury stopped first. */
  private async publishUntilAcknowledged(batch: readonly Waiting[]): Promise<boolean> {
    const events = batch.map((entry) => entry.event);
    let failedAttempts = 0;
    // Bounded by the treasury's life: every failed attempt checks the abandon signal.
    for (;;) {
      try {
        await this.sink.publishEvents(events);
        return true;
      } catch (error) {
        failedAttempts += 1;
        if (this.options.abandonSignal.aborted) return false;
        const delayMs = backoffDelayMs(
          failedAttempts,
          this.options.retry,
          this.options.random ?? Math.random,
        );
        this.options.logger.warn('Publishing confirmations failed; retrying', {
          events: events.length,
          failedAttempts,
          retryInMs: delayMs,
          error: describeError(error),
        });
        if (!(await this.sleepUnlessAbandoned(delayMs))) return false;
      }
    }
  }

  private sleepUnlessAbandoned(delayMs: number): Promise<boolean> {
    const signal = this.options.abandonSignal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, delayMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private abandonWaiting(): void {
    for (const entry of this.waiting.splice(0)) entry.abandoned(new ConfirmationAbandonedError());
  }
}
