/** Bounded waiting: every loop here has a deadline, and says what it waited for when it gives up. */
import net from 'node:net';
import { StackError } from './errors';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** True when a TCP connection to host:port opens within timeoutMs. */
export function canConnect(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export interface WaitOptions {
  /** Named in the error: "timed out after 60s waiting for <what>". */
  readonly what: string;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Appended to the timeout error: where to look, what to do. */
  readonly hint?: string;
}

/**
 * Polls `check` until it returns true. `check` may throw a StackError to stop waiting at once
 * (e.g. the process being waited for has died).
 */
export async function waitUntil(check: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 250;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) {
      const hint = options.hint ? `; ${options.hint}` : '';
      throw new StackError(
        `timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${options.what}${hint}`,
      );
    }
    await sleep(interval);
  }
}

/** Rejects with a StackError naming `what` if `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StackError(`${what}: no answer within ${Math.round(ms / 1000)}s`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
