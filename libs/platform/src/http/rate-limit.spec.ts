import { ApiError } from './api-error';
import {
  RATE_LIMIT_DEFAULTS,
  rateLimitBucket,
  retryAfterSeconds,
  routeClassOf,
  tooManyRequests,
} from './rate-limit';
import { acceptedRequestId } from './request-id';

const settings = { ...RATE_LIMIT_DEFAULTS, reads: 10, writes: 2, anonymous: 5, keyPrefix: 'rl' };
const alice = { kind: 'principal', subject: 'alice' } as const;
const address = { kind: 'address', address: '10.0.0.7' } as const;

describe('routeClassOf', () => {
  it.each([
    ['GET', '/v1/audit', 'read'],
    ['HEAD', '/v1/audit', 'read'],
    ['POST', '/v1/merchants/m-1/credit-line/freeze', 'write'],
    ['PUT', '/v1/portfolio/budget', 'write'],
    ['DELETE', '/v1/x', 'write'],
    ['GET', '/health/live', 'exempt'],
    ['GET', '/health/ready/', 'exempt'],
    ['GET', '/metrics', 'exempt'],
    ['OPTIONS', '/v1/audit', 'exempt'],
    ['GET', '/docs', 'read'],
    ['GET', '/health/livex', 'read'],
  ])('%s %s is %s', (method, path, expected) => expect(routeClassOf(method, path)).toBe(expected));
});

describe('rateLimitBucket', () => {
  it('spends a verified caller budget per route class', () => {
    expect(rateLimitBucket(settings, 'read', alice)).toEqual({
      key: 'rl:read:sub:alice',
      rateClass: 'read',
      limit: 10,
    });
    expect(rateLimitBucket(settings, 'write', alice)).toEqual({
      key: 'rl:write:sub:alice',
      rateClass: 'write',
      limit: 2,
    });
  });

  it('spends the address budget when there is no valid token, whatever the route', () => {
    expect(rateLimitBucket(settings, 'write', address)).toEqual({
      key: 'rl:anonymous:ip:10.0.0.7',
      rateClass: 'anonymous',
      limit: 5,
    });
    expect(rateLimitBucket(settings, 'read', address)?.key).toBe('rl:anonymous:ip:10.0.0.7');
  });

  it('applies no limit to an exempt route or a class set to 0', () => {
    expect(rateLimitBucket(settings, 'exempt', alice)).toBeUndefined();
    expect(rateLimitBucket({ ...settings, writes: 0 }, 'write', alice)).toBeUndefined();
    expect(rateLimitBucket({ ...settings, anonymous: 0 }, 'read', address)).toBeUndefined();
  });
});

describe('tooManyRequests', () => {
  it('is a 429 in the contract format with Retry-After in whole seconds', () => {
    const error = tooManyRequests({ key: 'k', rateClass: 'write', limit: 2 }, 60_000, 1_200);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(429);
    expect(error.body).toEqual({
      error: {
        code: 'TOO_MANY_REQUESTS',
        message: 'rate limit: at most 2 writes by this caller per 60 s; retry in 2 s',
      },
    });
    expect(error.headers).toEqual({ 'Retry-After': '2' });
  });

  it.each([
    [0, 1],
    [1, 1],
    [1_000, 1],
    [1_001, 2],
    [59_999, 60],
  ])('retryAfterSeconds(%i ms) = %i', (ms, seconds) => expect(retryAfterSeconds(ms)).toBe(seconds));
});

describe('acceptedRequestId', () => {
  it.each(['3f0c2a9e-2f8b-4b58-9d33-0f6c9a1d2e7b', 'trace:abc/def=1', 'x'])('keeps %j', (id) =>
    expect(acceptedRequestId(id)).toBe(id),
  );
  it.each([undefined, '', 'has space', 'line\nbreak', 'é', 'x'.repeat(129), ['a', 'b']])(
    'replaces %j',
    (raw) => expect(acceptedRequestId(raw as string | string[] | undefined)).toBeUndefined(),
  );
});
