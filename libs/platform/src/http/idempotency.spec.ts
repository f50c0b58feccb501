import fc from 'fast-check';
import { ApiError } from './api-error';
import {
  assertIdempotencyScope,
  canonicalJson,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  IDEMPOTENCY_RETENTION_MS,
  idempotencyKeyInProgress,
  idempotencyKeyReused,
  idempotencyPurgeCutoff,
  parseIdempotencyKey,
  requestFingerprint,
} from './idempotency';

describe('parseIdempotencyKey', () => {
  it.each([
    '3f0c2a9e-2f8b-4b58-9d33-0f6c9a1d2e7b',
    'r-42.attempt:1',
    'x',
    'k'.repeat(IDEMPOTENCY_KEY_MAX_LENGTH),
  ])('accepts %j', (key) => expect(parseIdempotencyKey(key)).toBe(key));

  it.each<[string | undefined, string]>([
    [undefined, 'Idempotency-Key: required on this write'],
    ['', 'Idempotency-Key: required on this write'],
    ['   ', 'Idempotency-Key: required on this write'],
    [
      'k'.repeat(IDEMPOTENCY_KEY_MAX_LENGTH + 1),
      `Idempotency-Key: at most ${IDEMPOTENCY_KEY_MAX_LENGTH} characters, got 256`,
    ],
    ['has space', 'Idempotency-Key: only printable ASCII'],
    ['clé', 'Idempotency-Key: only printable ASCII'],
  ])('refuses %j with a 400 naming the header', (raw, message) => {
    let caught: unknown;
    try {
      parseIdempotencyKey(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect(caught).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining(message),
    });
  });

  it('refuses a header sent twice, as a list or joined by Node with a comma and a space', () => {
    expect(() => parseIdempotencyKey(['a', 'b'])).toThrow('Idempotency-Key: send it once, not 2 times');
    expect(() => parseIdempotencyKey('a, b')).toThrow('printable ASCII');
    expect(parseIdempotencyKey(['a'])).toBe('a');
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('refuses what JSON cannot hold', () => {
    expect(() => canonicalJson({ a: 1n })).toThrow('a bigint is not JSON');
    expect(() => canonicalJson(Number.NaN)).toThrow('not a JSON number');
  });

  it('is the same for any key order, and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const shuffled = JSON.parse(
          JSON.stringify(value, (_key, inner: unknown) =>
            inner !== null && typeof inner === 'object' && !Array.isArray(inner)
              ? Object.fromEntries(Object.entries(inner).reverse())
              : inner,
          ),
        ) as unknown;
        expect(canonicalJson(shuffled)).toBe(canonicalJson(value));
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('requestFingerprint', () => {
  const base = {
    method: 'POST',
    path: '/v1/merchants/m-1/drawdowns',
    body: { amountMinor: '100', currency: 'CNY', termDays: 30 },
  };

  it('is a SHA-256 in hex, the same for the same request in another key order or method case', () => {
    const print = requestFingerprint(base);
    expect(print).toMatch(/^[0-9a-f]{64}$/);
    expect(
      requestFingerprint({
        ...base,
        method: 'post',
        body: { termDays: 30, currency: 'CNY', amountMinor: '100' },
      }),
    ).toBe(print);
  });

  it.each([
    ['another amount', { ...base, body: { ...base.body, amountMinor: '101' } }],
    ['another merchant', { ...base, path: '/v1/merchants/m-2/drawdowns' }],
    ['another method', { ...base, method: 'PUT' }],
    ['no body', { ...base, body: undefined }],
    ['an amount as a number', { ...base, body: { ...base.body, amountMinor: 100 } }],
  ])('differs for %s', (_case, request) => {
    expect(requestFingerprint(request)).not.toBe(requestFingerprint(base));
  });
});

describe('the idempotency conflicts and retention', () => {
  it('answers a reused key with a 409 IDEMPOTENCY_KEY_REUSED', () => {
    expect(idempotencyKeyReused()).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
  });
  it('answers a key in progress with a 409 and Retry-After', () => {
    expect(idempotencyKeyInProgress(10)).toMatchObject({
      status: 409,
      code: 'IDEMPOTENCY_KEY_IN_PROGRESS',
      headers: { 'Retry-After': '10' },
    });
  });
  it('keeps keys 30 days', () => {
    expect(idempotencyPurgeCutoff(new Date('2026-12-31T00:00:00Z')).toISOString()).toBe(
      '2026-12-01T00:00:00.000Z',
    );
    expect(IDEMPOTENCY_RETENTION_MS).toBe(30 * 86_400_000);
  });
  it.each(['', 'x'.repeat(513)])('refuses the scope %j', (scope) => {
    expect(() => assertIdempotencyScope(scope)).toThrow(RangeError);
  });
});
