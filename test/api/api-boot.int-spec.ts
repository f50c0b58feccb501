/**
 * How the API starts, or refuses to: it never starts in production with the development JWT
 * secret; it starts without Kafka and Redis and says, on /health/ready, that they are down.
 */
import { ServiceProcess } from '../support/service-process';
import { ApiProcess } from './support/api-process';
import { ApiTestDatabase } from './support/api-test-database';

jest.setTimeout(120_000);

describe('the API at boot', () => {
  let database: ApiTestDatabase;

  beforeAll(async () => {
    database = await ApiTestDatabase.create('boot');
  });
  afterAll(() => database?.cleanup());

  it('refuses to start with NODE_ENV=production and the development secret, naming the variable', async () => {
    const started = ServiceProcess.start({
      name: 'api',
      readyLine: 'API is listening on port',
      env: { NODE_ENV: 'production', AUTH_JWT_SECRET: '', DATABASE_URL: database.url, API_PORT: '0' },
    });
    await expect(started).rejects.toThrow('the api exited at boot');
    await expect(started).rejects.toThrow(
      'AUTH_JWT_SECRET: NODE_ENV=production refuses the development secret',
    );
  });

  it('serves /health/ready as 503 naming Kafka and Redis while they are unreachable', async () => {
    const api = await ApiProcess.start({
      DATABASE_URL: database.url,
      KAFKA_BROKERS: '127.0.0.1:1',
      REDIS_URL: 'redis://127.0.0.1:1',
      API_HEALTH_TIMEOUT_MS: '1000',
    });
    try {
      expect(await api.request('/health/live')).toMatchObject({ status: 200 });
      const ready = await api.request('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        error: {
          code: 'NOT_READY',
          message: expect.stringMatching(/^Not ready: kafka is down \(.+\); redis is down \(.+\)$/),
        },
        checks: { kafka: { status: 'down' }, postgres: { status: 'up' }, redis: { status: 'down' } },
      });
    } finally {
      await api.stop();
    }
    expect(api.service.exit?.code).toBe(0);
  });
});
