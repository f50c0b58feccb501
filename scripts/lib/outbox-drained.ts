import type { DataSource } from 'typeorm';

/** Waits until the relay has published every outbox row (everything decided is in the outbox). */
export async function waitForOutboxDrained(db: DataSource, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row]: { pending: number }[] = await db.query(
      `SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL`,
    );
    if (row!.pending === 0) return;
    if (Date.now() > deadline)
      throw new Error(`${row!.pending} outbox rows still unpublished after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
