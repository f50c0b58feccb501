import { readFileSync } from 'node:fs';

/** Injection tokens of lending's own providers. */
export const LENDING_OPTIONS = Symbol('LENDING_OPTIONS');
/** Business time in the app: the wall clock (a function returning now), injectable for tests. */
export const LENDING_CLOCK = Symbol('LENDING_CLOCK');

export type LendingClock = () => Date;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/**
 * Business time read from a file at each call (`LENDING_BUSINESS_CLOCK_FILE`): one UTC instant
 * such as `2026-09-01T00:00:00.000Z`. For a simulated calendar, whose driver advances it (the
 * chaos run, a market day at a time); the writer replaces the file whole (a rename), so a read
 * never sees half an instant. A missing or malformed file throws: the review logs the failure
 * and tries again at its next run, rather than running as of some other time.
 */
export function fileClock(path: string): LendingClock {
  return () => {
    const text = readFileSync(path, 'utf8').trim();
    const at = new Date(text);
    // Date rolls 2026-02-30 over to March: the instant must read back as written.
    if (
      !INSTANT.test(text) ||
      Number.isNaN(at.getTime()) ||
      at.toISOString().slice(0, 19) !== text.slice(0, 19)
    )
      throw new Error(`${path} holds no UTC instant: "${text.slice(0, 40)}"`);
    return at;
  };
}
