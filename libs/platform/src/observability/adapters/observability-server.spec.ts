import { Counter, Registry } from 'prom-client';
import type { ReadinessReport } from '../readiness';
import { ObservabilityServer } from './observability-server';

/** The worker's listener on a real local socket (no broker, database or Redis involved). */
describe('ObservabilityServer', () => {
  let server: ObservabilityServer;
  let base: string;
  let report: ReadinessReport;

  beforeAll(async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'unit' });
    new Counter({ name: 'lendstream_unit_total', help: 'a test counter', registers: [registry] }).inc(3);
    server = new ObservabilityServer({ port: 0, host: '127.0.0.1', registry, readiness: async () => report });
    base = `http://127.0.0.1:${await server.start()}`;
  });
  afterAll(() => server.close());

  it('answers liveness, and readiness as 200 or 503 naming what is down', async () => {
    expect(await (await fetch(`${base}/health/live`)).json()).toEqual({ status: 'live' });
    report = { ready: true, checks: { kafka: { status: 'up' }, redis: { status: 'up' } } };
    const ready = await fetch(`${base}/health/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', checks: report.checks }]);
    report = {
      ready: false,
      checks: { kafka: { status: 'up' }, redis: { status: 'down', error: 'timed out after 2000 ms' } },
    };
    const notReady = await fetch(`${base}/health/ready/`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({
      error: { code: 'NOT_READY', message: 'Not ready: redis is down (timed out after 2000 ms)' },
      checks: report.checks,
    });
  });

  it('serves the registry in the Prometheus text format', async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('lendstream_unit_total{service="unit"} 3');
  });

  it('refuses other paths and methods in the API error format', async () => {
    const missing = await fetch(`${base}/v1/anything`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  });
});
