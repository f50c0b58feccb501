/**
 * Readiness: is every dependency an app uses (Kafka, Postgres, Redis: exactly those it uses)
 * answering right now? Each probe runs at once, bounded by a timeout; the report names what is
 * down and why. Pure apart from the probes it is given (and the timers that bound them).
 */

export type ReadinessProbe = () => Promise<unknown>;

export type DependencyStatus =
  { readonly status: 'up' } | { readonly status: 'down'; readonly error: string };

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, DependencyStatus>>;
}

export async function checkReadiness(
  probes: Readonly<Record<string, ReadinessProbe>>,
  timeoutMs: number,
): Promise<ReadinessReport> {
  const names = Object.keys(probes);
  const outcomes = await Promise.allSettled(names.map((name) => withTimeout(probes[name]!(), timeoutMs)));
  const checks: Record<string, DependencyStatus> = {};
  outcomes.forEach((outcome, index) => {
    checks[names[index]!] =
      outcome.status === 'fulfilled' ? { status: 'up' } : { status: 'down', error: describe(outcome.reason) };
  });
  return { ready: Object.values(checks).every((check) => check.status === 'up'), checks };
}

/** `kafka is down (timed out after 2000 ms); redis is down (connect ECONNREFUSED 127.0.0.1:1)`. */
export function describeNotReady(report: ReadinessReport): string {
  const down = Object.entries(report.checks).flatMap(([name, check]) =>
    check.status === 'down' ? [`${name} is down (${check.error})`] : [],
  );
  return `Not ready: ${down.join('; ')}`;
}

/** Rejects with `timed out after N ms` when `promise` has not settled by then. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A short, single-line reason: no stack, bounded length. */
function describe(error: unknown): string {
  const text =
    error instanceof AggregateError
      ? error.errors
          .map((inner: unknown) => (inner instanceof Error ? inner.message : String(inner)))
          .join(', ')
      : error instanceof Error
        ? error.message || error.name
        : String(error);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
