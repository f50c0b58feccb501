import {
  assertAuditEntry,
  AuditEntry,
  auditJson,
  auditTarget,
  isAuditAction,
  isAuditTarget,
} from './audit-entry';

const entry: AuditEntry = {
  auditId: '0b6f1a52-7d7e-4f6e-9a83-2d8e0c3b7a11',
  subject: 'alice',
  roles: ['ops:write'],
  action: 'credit-line.freeze',
  route: 'POST /v1/merchants/:merchantId/credit-line/freeze',
  target: auditTarget('merchant', 'm-000042'),
  requestId: 'req-1',
  idempotencyKey: 'k-1',
  request: { reason: 'fraud' },
  before: null,
  after: { status: 'FROZEN' },
};

describe('audit entries', () => {
  it('accepts a well-formed entry', () => {
    expect(() => assertAuditEntry(entry)).not.toThrow();
    expect(entry.target).toBe('merchant:m-000042');
  });

  it.each<[string, Partial<AuditEntry>, string]>([
    ['an id that is not a UUID', { auditId: 'x' }, 'auditId is not a UUID'],
    ['no subject', { subject: '' }, 'subject is 1-255 characters'],
    ['an action without a verb', { action: 'freeze' }, 'action "freeze" is not <thing>.<verb>'],
    ['an action in capitals', { action: 'Credit-line.FREEZE' }, 'is not <thing>.<verb>'],
    ['a target without a kind', { target: 'm-1' }, 'target "m-1" is not <kind>:<id>'],
    ['a target with a space', { target: 'merchant:m 1' }, 'is not <kind>:<id>'],
    ['an empty request id', { requestId: '' }, 'requestId is 1-128 characters'],
    ['an empty idempotency key', { idempotencyKey: '' }, 'idempotencyKey is null or not empty'],
  ])('refuses %s, naming the field', (_case, change, message) => {
    expect(() => assertAuditEntry({ ...entry, ...change })).toThrow(message);
  });

  it.each([
    ['credit-line.freeze', true],
    ['portfolio-budget.set', true],
    ['a.b.c', true],
    ['freeze', false],
    ['credit line.freeze', false],
    [`x.${'y'.repeat(63)}`, false],
  ])('isAuditAction(%j) is %s', (action, expected) => expect(isAuditAction(action)).toBe(expected));

  it.each([
    ['merchant:m-000042', true],
    ['portfolio-budget:CNY', true],
    ['merchant:', false],
    [':m-1', false],
    [`merchant:${'m'.repeat(160)}`, false],
  ])('isAuditTarget(%j) is %s', (target, expected) => expect(isAuditTarget(target)).toBe(expected));

  it('keeps states as JSON text, null as null, and refuses money as a bigint', () => {
    expect(auditJson({ limitMinor: '9007199254740993' }, 'after')).toBe('{"limitMinor":"9007199254740993"}');
    expect(auditJson(null, 'before')).toBeNull();
    expect(auditJson(undefined, 'before')).toBeNull();
    expect(() => auditJson({ limitMinor: 1n }, 'after')).toThrow('audit after holds a bigint');
  });
});
