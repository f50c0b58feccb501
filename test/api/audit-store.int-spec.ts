/**
 * The audit store on the real Postgres: an entry commits with the write it records or not at
 * all, it cannot be written outside a transaction, and once written it cannot be changed.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { auditTarget, type AuditEntry } from '../../libs/platform/src/audit/audit-entry';
import { listAuditEntries, recordAuditEntry } from '../../libs/platform/src/audit/adapters/audit-store';
import { ApiTestDatabase } from './support/api-test-database';

jest.setTimeout(60_000);

const entry = (overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  auditId: randomUUID(),
  subject: 'alice',
  roles: ['ops:write'],
  action: 'credit-line.freeze',
  route: 'POST /v1/merchants/:merchantId/credit-line/freeze',
  target: auditTarget('merchant', 'm-1'),
  requestId: randomUUID(),
  idempotencyKey: 'k-1',
  request: { reason: 'test' },
  before: { status: 'ACTIVE', limitMinor: '9007199254740993' },
  after: { status: 'FROZEN', limitMinor: '9007199254740993' },
  ...overrides,
});

describe('the audit store (real Postgres)', () => {
  let database: ApiTestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await ApiTestDatabase.create('auditstore');
    db = await database.connect('audit-store-int-spec');
  });
  afterAll(() => database?.cleanup());

  it('writes an entry with the transaction of its write, and reads it back as written', async () => {
    const written = entry();
    await db.transaction((manager) => recordAuditEntry(manager, written));
    const [read] = await listAuditEntries(db.manager, { limit: 1, target: written.target });
    expect(read).toMatchObject({
      ...written,
      position: expect.stringMatching(/^\d+$/),
      occurredAt: expect.any(String),
    });
  });

  it('leaves no entry when the write rolls back', async () => {
    const rolledBack = entry({ target: auditTarget('merchant', 'm-rolled-back') });
    await expect(
      db.transaction(async (manager) => {
        await recordAuditEntry(manager, rolledBack);
        throw new Error('the write failed after its entry');
      }),
    ).rejects.toThrow('the write failed after its entry');
    expect(await listAuditEntries(db.manager, { limit: 10, target: rolledBack.target })).toEqual([]);
  });

  it('refuses to write outside a transaction, and refuses a malformed entry or a bigint', async () => {
    await expect(recordAuditEntry(db.manager, entry())).rejects.toThrow('must run inside the transaction');
    await expect(
      db.transaction((manager) => recordAuditEntry(manager, entry({ action: 'Freeze' }))),
    ).rejects.toThrow('action "Freeze" is not <thing>.<verb>');
    await expect(
      db.transaction((manager) => recordAuditEntry(manager, entry({ after: { limitMinor: 5n } }))),
    ).rejects.toThrow('audit after holds a bigint');
  });

  it('is append-only, whoever asks', async () => {
    await expect(db.query(`UPDATE audit_log SET subject = 'mallory'`)).rejects.toThrow('append-only: UPDATE');
    await expect(db.query(`DELETE FROM audit_log`)).rejects.toThrow('append-only: DELETE');
  });
});
