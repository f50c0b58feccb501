import { CloudEvent } from '@lendstream/contracts';
import { createConsoleLogger } from '@lendstream/messaging';
import { confirmationEvent } from '@lendstream/simulation';
import {
  ConfirmationAbandonedError,
  ConfirmationPublisher,
  ConfirmationSink,
} from './confirmation-publisher';

const event = (index: number): CloudEvent =>
  confirmationEvent(
    { merchantId: 'm-000001', disbursementId: `d-${index}` },
    { outcome: 'settled', treasuryRef: `TRX-${index}` },
    '2026-11-11T00:00:00.000Z',
  );

const RETRY = { initialDelayMs: 5, backoffFactor: 2, maxDelayMs: 20, jitterRatio: 0 };

/** A sink whose calls wait until released, to see what a call in flight does to the others. */
function gatedSink() {
  const calls: string[][] = [];
  const releases: Array<() => void> = [];
  const sink: ConfirmationSink = {
    publishEvents: (events) => {
      calls.push(events.map((entry) => entry.id));
      return new Promise<void>((resolve) => releases.push(resolve));
    },
  };
  return { sink, calls, release: (call: number) => releases[call]!() };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ConfirmationPublisher', () => {
  const logLines: string[] = [];
  const options = (abandonSignal = new AbortController().signal, maxEventsPerPublish = 500) => ({
    maxEventsPerPublish,
    retry: RETRY,
    logger: createConsoleLogger('warn', (line) => logLines.push(line)),
    abandonSignal,
    random: () => 0,
  });
  beforeEach(() => logLines.splice(0));

  it('sends the events that fall due while a call is in flight together in the next call', async () => {
    const { sink, calls, release } = gatedSink();
    const publisher = new ConfirmationPublisher(sink, options());
    const acknowledged: string[] = [];
    const track = (index: number) =>
      publisher.publish(event(index)).then(() => acknowledged.push(`d-${index}`));

    const first = track(0);
    await flush();
    const rest = [1, 2, 3].map(track);
    await flush();
    expect(calls).toEqual([['d-0:confirmation']]);
    expect(publisher.backlog).toBe(3);

    release(0);
    await first;
    await flush();
    expect(acknowledged).toEqual(['d-0']);
    expect(calls[1]).toEqual(['d-1:confirmation', 'd-2:confirmation', 'd-3:confirmation']);
    release(1);
    await Promise.all(rest);
    expect(acknowledged).toEqual(['d-0', 'd-1', 'd-2', 'd-3']);
  });

  it('never puts more than maxEventsPerPublish events in one call', async () => {
    const sizes: number[] = [];
    const publisher = new ConfirmationPublisher(
      { publishEvents: async (events) => sizes.push(events.length) },
      options(undefined, 2),
    );
    await Promise.all([0, 1, 2, 3, 4].map((index) => publisher.publish(event(index))));
    // The first goes at once; the four queued behind it are split in two calls.
    expect(sizes).toEqual([1, 2, 2]);
  });

  it('retries a call the broker did not take, with backoff, until it is acknowledged', async () => {
    let attempts = 0;
    const publisher = new ConfirmationPublisher(
      {
        publishEvents: async () => {
          attempts += 1;
          if (attempts < 3) throw new Error('KafkaJSNumberOfRetriesExceeded');
        },
      },
      options(),
    );
    await publisher.publish(event(0));
    expect(attempts).toBe(3);
    const warnings = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(warnings).toMatchObject([
      {
        level: 'warn',
        message: 'Publishing confirmations failed; retrying',
        failedAttempts: 1,
        retryInMs: 5,
      },
      { level: 'warn', failedAttempts: 2, retryInMs: 10 },
    ]);
  });

  it('abandons what is waiting and stops retrying when the treasury stops', async () => {
    const abandon = new AbortController();
    let attempts = 0;
    const publisher = new ConfirmationPublisher(
      {
        publishEvents: async () => {
          attempts += 1;
          throw new Error('broker down');
        },
      },
      options(abandon.signal),
    );
    const retrying = publisher.publish(event(0));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const waiting = publisher.publish(event(1));
    abandon.abort();
    await expect(retrying).rejects.toBeInstanceOf(ConfirmationAbandonedError);
    await expect(waiting).rejects.toBeInstanceOf(ConfirmationAbandonedError);
    await expect(publisher.publish(event(2))).rejects.toBeInstanceOf(ConfirmationAbandonedError);
    const attemptsAtAbandon = attempts;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(attempts).toBe(attemptsAtAbandon);
  });

  it.each([0, 1.5, Number.NaN])('refuses maxEventsPerPublish %p', (maxEventsPerPublish) => {
    expect(
      () =>
        new ConfirmationPublisher(
          { publishEvents: async () => undefined },
          options(undefined, maxEventsPerPublish),
        ),
    ).toThrow(RangeError);
  });
});
