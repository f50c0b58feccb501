/**
 * What `up` started, kept in .stack/state.json so that `down` stops only that: a PostgreSQL
 * or Redis that was already running (the machine's own, another engineer's) is left alone.
 * The broker needs no entry here: its pid file, checked against /proc, says whether it is ours.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { STACK_DIR, STATE_FILE } from './paths';

export interface StackState {
  /** Set when `up` started the PostgreSQL cluster; names it for `pg_ctlcluster … stop`. */
  postgres?: {
    readonly cluster: { readonly version: string; readonly name: string };
    readonly startedAt: string;
  };
  /** Set when `up` started redis-server. */
  redis?: { readonly host: string; readonly port: number; readonly startedAt: string };
}

export function readState(): StackState {
  try {
    return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as StackState;
  } catch {
    return {};
  }
}

/** Applies `change` to the state on disk; written via rename so a crash never leaves half a file. */
export function updateState(change: (state: StackState) => void): void {
  const state = readState();
  change(state);
  mkdirSync(STACK_DIR, { recursive: true });
  const temporary = `${STATE_FILE}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temporary, STATE_FILE);
}
