import { DEVELOPMENT_JWT_SECRET, InvalidEnvironmentError } from '@lendstream/platform';
import { apiOptionsFromEnv } from './api-config';

describe('apiOptionsFromEnv', () => {
  it('defaults to port 3000, 64 KiB bodies, CORS off and development tokens', () => {
    expect(apiOptionsFromEnv({})).toMatchObject({
      port: 3000,
      bodyLimitBytes: 65_536,
      corsOrigins: [],
      databasePoolSize: 10,
      healthTimeoutMs: 2_000,
      idempotencyPurgeIntervalMs: 3_600_000,
      auth: { mode: 'hs256', secret: DEVELOPMENT_JWT_SECRET, usesDevelopmentSecret: true },
      profileKeyPrefix: 'lp',
      rateLimit: { windowMs: 60_000, reads: 600, writes: 60, anonymous: 60, keyPrefix: 'ratelimit' },
      trustProxyHops: 0,
      topicNamespace: undefined,
      deadLetterIndexer: { enabled: true, groupId: 'lendstream-api-dead-letters' },
    });
  });

  it('reads every variable', () => {
    expect(
      apiOptionsFromEnv({
        API_PORT: '0',
        API_BODY_LIMIT_BYTES: '1024',
        API_CORS_ORIGINS: 'https://ops.example.com',
        API_DATABASE_POOL_SIZE: '4',
        API_HEALTH_TIMEOUT_MS: '500',
        API_IDEMPOTENCY_PURGE_INTERVAL_MS: '0',
        AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks',
        AUTH_ISSUER: 'https://id.test/',
        AUTH_AUDIENCE: 'lendstream-api',
        PROFILE_KEY_PREFIX: 'rebuild-2',
        API_RATE_LIMIT_WINDOW_MS: '1000',
        API_RATE_LIMIT_READS: '0',
        API_RATE_LIMIT_WRITES: '5',
        API_RATE_LIMIT_ANONYMOUS: '7',
        API_RATE_LIMIT_KEY_PREFIX: 'rl:blue',
        API_TRUST_PROXY_HOPS: '2',
        KAFKA_TOPIC_NAMESPACE: 'test-a',
        API_DEAD_LETTER_INDEXER: 'off',
        API_DEAD_LETTER_GROUP_ID: 'ops-dlq',
      }),
    ).toMatchObject({
      port: 0,
      bodyLimitBytes: 1_024,
      corsOrigins: ['https://ops.example.com'],
      databasePoolSize: 4,
      healthTimeoutMs: 500,
      idempotencyPurgeIntervalMs: 0,
      auth: { mode: 'jwks', jwksUrl: 'http://127.0.0.1:8080/jwks' },
      profileKeyPrefix: 'rebuild-2',
      rateLimit: { windowMs: 1_000, reads: 0, writes: 5, anonymous: 7, keyPrefix: 'rl:blue' },
      trustProxyHops: 2,
      topicNamespace: 'test-a',
      deadLetterIndexer: { enabled: false, groupId: 'ops-dlq' },
    });
  });

  it.each([
    ['API_PORT', '65536'],
    ['API_PORT', 'http'],
    ['API_BODY_LIMIT_BYTES', '100'],
    ['API_BODY_LIMIT_BYTES', '20000000'],
    ['API_CORS_ORIGINS', '*'],
    ['API_CORS_ORIGINS', 'ops.example.com'],
    ['API_DATABASE_POOL_SIZE', '1'],
    ['API_HEALTH_TIMEOUT_MS', '50'],
    ['API_IDEMPOTENCY_PURGE_INTERVAL_MS', '-1'],
    ['AUTH_JWT_SECRET', 'too-short'],
    ['AUTH_CLOCK_TOLERANCE_SECONDS', '1h'],
    ['PROFILE_KEY_PREFIX', 'lp:{x}'],
    ['API_RATE_LIMIT_WINDOW_MS', '999'],
    ['API_RATE_LIMIT_READS', '-1'],
    ['API_RATE_LIMIT_WRITES', 'many'],
    ['API_RATE_LIMIT_ANONYMOUS', '1000001'],
    ['API_RATE_LIMIT_KEY_PREFIX', 'has space'],
    ['API_TRUST_PROXY_HOPS', '11'],
    ['KAFKA_TOPIC_NAMESPACE', 'a.b'],
    ['API_DEAD_LETTER_INDEXER', 'yes'],
    ['API_DEAD_LETTER_GROUP_ID', 'has space'],
  ])('refuses %s=%s, naming the variable', (variable, value) => {
    expect(() => apiOptionsFromEnv({ [variable]: value })).toThrow(InvalidEnvironmentError);
    expect(() => apiOptionsFromEnv({ [variable]: value })).toThrow(variable);
  });

  it('refuses to start in production with the development secret', () => {
    expect(() => apiOptionsFromEnv({ NODE_ENV: 'production' })).toThrow(
      'AUTH_JWT_SECRET: NODE_ENV=production refuses the development secret',
    );
  });
});
