/**
 * Rate limits as they run: two API processes (two replicas) sharing the stack's Redis count
 * one budget per caller and route class, so a caller cannot double its limit by spreading its
 * requests; a request over the limit is a 429 with Retry-After in the contract's error format;
 * callers without a valid token are limited by address; health is never limited.
 */
import { randomUUID } from 'node:crypto';
import { signHs256Token } from '../../libs/platform/src/auth/adapters/development-token';
import { ApiProcess, ApiResponse, uniqueRateLimitPrefix } from './support/api-process';
import { ApiTestDatabase } from './support/api-test-database';

jest.setTimeout(180_000);

const SECRET = `rate-limit-${randomUUID()}`;
const READS = 6;
const WRITES = 2;
const ANONYMOUS = 4;
/** Long enough that no budget refills while a test runs. */
const WINDOW_MS = 600_000;

const token = (subject: string, roles = ['ops:read', 'treasury']) =>
  signHs256Token({ subject, roles, ttlSeconds: 900 }, SECRET, Date.now());
const errorOf = (body: unknown) => (body as { error: { code: string; message: string } }).error;

describe('rate limits across two API processes sharing Redis', () => {
  let database: ApiTestDatabase;
  let replicas: ApiProcess[];

  beforeAll(async () => {
    database = await ApiTestDatabase.create('ratelimit');
    const env = {
      DATABASE_URL: database.url,
      AUTH_JWT_SECRET: SECRET,
      API_RATE_LIMIT_KEY_PREFIX: uniqueRateLimitPrefix(),
      API_RATE_LIMIT_WINDOW_MS: String(WINDOW_MS),
      API_RATE_LIMIT_READS: String(READS),
      API_RATE_LIMIT_WRITES: String(WRITES),
      API_RATE_LIMIT_ANONYMOUS: String(ANONYMOUS),
      // A loaded CI machine can take longer than the default 500 ms for a first check (the
      // connection, the script's load); one that times out lets its request through by design,
      // which here would read as a budget of one more.
      API_RATE_LIMIT_CHECK_TIMEOUT_MS: '10000',
    };
    replicas = await Promise.all([ApiProcess.start(env), ApiProcess.start(env)]);
  });

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((replica) => replica.stop().catch(() => undefined)));
    await database?.cleanup();
  });

  /** Alternates replicas, as a load balancer would. */
  const spread = async (count: number, send: (replica: ApiProcess) => Promise<ApiResponse>) => {
    const answers: ApiResponse[] = [];
    for (let index = 0; index < count; index += 1) answers.push(await send(replicas[index % 2]!));
    return answers;
  };

  it('a caller gets its read budget once across both replicas, then 429 with Retry-After', async () => {
    const bob = await token('bob');
    const answers = await spread(READS + 2, (replica) =>
      replica.request('/v1/portfolio/budget', { token: bob }),
    );
    expect(answers.map((answer) => answer.status)).toEqual([...Array(READS).fill(200), 429, 429]);
    const refused = answers[READS]!;
    expect(errorOf(refused.body)).toEqual({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(
        new RegExp(`^rate limit: at most ${READS} reads by this caller per 600 s; retry in \\d+ s$`),
      ),
    });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1_000 / READS + 1);
    // Another caller has a budget of its own.
    const carol = await token('carol');
    expect((await replicas[1]!.request('/v1/portfolio/budget', { token: carol })).status).toBe(200);
  });

  it('writes have a budget apart from reads', async () => {
    const dave = await token('dave');
    const put = (replica: ApiProcess) =>
      replica.request('/v1/portfolio/budget', {
        method: 'PUT',
        token: dave,
        headers: { 'idempotency-key': randomUUID() },
        body: { currency: 'CNY', budgetMinor: '100' },
      });
    expect((await spread(WRITES + 1, put)).map((answer) => answer.status)).toEqual([
      ...Array(WRITES).fill(200),
      429,
    ]);
    // Dave's reads are untouched by his writes.
    expect((await replicas[0]!.request('/v1/portfolio/budget', { token: dave })).status).toBe(200);
  });

  it('requests without a valid token are limited by address, bad tokens included; health never', async () => {
    const answers = await spread(ANONYMOUS + 1, (replica) =>
      replica.request('/v1/audit', { token: 'not-a-jwt' }),
    );
    expect(answers.map((answer) => answer.status)).toEqual([...Array(ANONYMOUS).fill(401), 429]);
    expect(errorOf(answers[ANONYMOUS]!.body).message).toContain(
      'requests without a valid token from this address',
    );
    expect((await replicas[0]!.request('/docs/openapi.json')).status).toBe(429);
    const health = await spread(ANONYMOUS * 3, (replica) => replica.request('/health/live'));
    expect(health.every((answer) => answer.status === 200)).toBe(true);
    // A caller with a valid token spends its own budget, not the address's.
    expect((await replicas[1]!.request('/v1/portfolio/budget', { token: await token('erin') })).status).toBe(
      200,
    );
  });
});
