/**
 * One `up` or `down` at a time in a work tree: several engineers share it and its broker,
 * and two `up`s racing would start two brokers on one data directory. The lock is a file
 * holding the owner's pid; a lock whose owner has died is taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { StackError } from './errors';
import { LOCK_FILE, STACK_DIR, relative } from './paths';
import { isAlive } from './proc';
import { sleep } from './wait';

/** Long enough for another engineer's first `up` (Maven download, broker start). */
const LOCK_WAIT_MS = 180_000;
const LOCK_POLL_MS = 200;

export async function withStackLock<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(STACK_DIR, { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  while (!tryAcquire()) {
    if (Date.now() >= deadline) {
      throw new StackError(
        `another stack command (pid ${lockOwner()}) has held ${relative(LOCK_FILE)} for over ${LOCK_WAIT_MS / 1000}s; wait for it, or delete the file if that process is stuck`,
      );
    }
    if (!announced) {
      process.stdout.write(`[stack] waiting for another stack command (pid ${lockOwner()}) to finish…\n`);
      announced = true;
    }
    await sleep(LOCK_POLL_MS);
  }
  try {
    return await work();
  } finally {
    release();
  }
}

function tryAcquire(): boolean {
  try {
    const fd = openSync(LOCK_FILE, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = lockOwner();
    // Stale: its owner died without releasing it. (No pid yet may also be an owner between
    // creating the file and writing its pid, hence the age check.) Remove; retry next loop.
    if (owner === undefined ? lockAgeMs() > 5_000 : !isAlive(owner)) safeUnlink();
    return false;
  }
}

function lockOwner(): number | undefined {
  try {
    const pid = Number(readFileSync(LOCK_FILE, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function lockAgeMs(): number {
  try {
    return Date.now() - statSync(LOCK_FILE).mtimeMs;
  } catch {
    return 0;
  }
}

function release(): void {
  if (lockOwner() === process.pid) safeUnlink();
}

function safeUnlink(): void {
  try {
    unlinkSync(LOCK_FILE);
  } catch {
    // already gone
  }
}
