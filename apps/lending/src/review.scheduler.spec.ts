import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { reviewLoans, type ReviewReport } from '@lendstream/lending';
import { lendingOptionsFromEnv } from './lending-config';
import { describeReview, ReviewScheduler } from './review.scheduler';

jest.mock('@lendstream/lending', () => ({
  ...jest.requireActual('@lendstream/lending'),
  reviewLoans: jest.fn(),
}));

const review = reviewLoans as jest.MockedFunction<typeof reviewLoans>;

const report = (overrides: Partial<ReviewReport> = {}): ReviewReport => ({
  asOf: '2026-11-21T00:00:00.000Z',
  examined: 0,
  changed: 0,
  accruedDays: 0,
  interestPostedMinor: new Map(),
  overdueCount: 0,
  overdue: [],
  writtenOffCount: 0,
  writtenOff: [],
  deferred: 0,
  complete: true,
  ...overrides,
});

const settle = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

function schedulerWith(env: Record<string, string>, now = new Date('2026-11-21T00:00:00Z')) {
  return new ReviewScheduler({} as DataSource, lendingOptionsFromEnv(env), () => now);
}

describe('ReviewScheduler', () => {
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    jest.useFakeTimers();
    review.mockReset();
    review.mockResolvedValue(report());
  });
  afterEach(() => jest.useRealTimers());

  it('reviews at boot as of the clock, then every interval, and stops on shutdown', async () => {
    const scheduler = schedulerWith({ LENDING_REVIEW_INTERVAL_MS: '60000', LENDING_REVIEW_CHUNK: '50' });
    scheduler.onApplicationBootstrap();
    await settle();
    expect(review).toHaveBeenCalledTimes(1);
    expect(review.mock.calls[0]![1]).toBe('2026-11-21T00:00:00.000Z');
    expect(review.mock.calls[0]![2]).toMatchObject({ chunkSize: 50, limit: 100_000 });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(review).toHaveBeenCalledTimes(2);
    await scheduler.beforeApplicationShutdown();
    await jest.advanceTimersByTimeAsync(600_000);
    expect(review).toHaveBeenCalledTimes(2);
  });

  it('does nothing when the interval is 0', async () => {
    schedulerWith({ LENDING_REVIEW_INTERVAL_MS: '0' }).onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(review).not.toHaveBeenCalled();
  });

  it('runs again at once while a run stops at its limit', async () => {
    review
      .mockResolvedValueOnce(report({ complete: false }))
      .mockResolvedValueOnce(report({ complete: false }));
    const scheduler = schedulerWith({ LENDING_REVIEW_INTERVAL_MS: '600000' });
    scheduler.onApplicationBootstrap();
    await settle();
    await settle();
    expect(review).toHaveBeenCalledTimes(3);
    await scheduler.beforeApplicationShutdown();
  });

  it('keeps running after a failed run', async () => {
    review.mockRejectedValueOnce(new Error('Postgres is down'));
    const scheduler = schedulerWith({ LENDING_REVIEW_INTERVAL_MS: '1000' });
    scheduler.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(review).toHaveBeenCalledTimes(2);
    await scheduler.beforeApplicationShutdown();
  });
});

describe('describeReview', () => {
  it('says nothing for a run that did nothing', () => {
    expect(describeReview(report())).toBeNull();
  });

  it('says what a run did', () => {
    expect(
      describeReview(
        report({
          examined: 3,
          changed: 2,
          accruedDays: 11,
          interestPostedMinor: new Map([['CNY', 2_200n]]),
          overdueCount: 1,
          writtenOffCount: 1,
          deferred: 1,
          complete: false,
        }),
      ),
    ).toBe(
      'Review as of 2026-11-21T00:00:00.000Z: 3 loans examined, 2 changed, 11 days of interest (2200 minor CNY) posted, 1 overdue, 1 written off, 1 write-offs deferred (line busy), more to do',
    );
  });
});
