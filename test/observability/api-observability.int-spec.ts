/**
 * The real API (apps/api/src/main.ts, a child process): /metrics needs no token and times every
 * request by method, route template and status (a 401 included: the middleware runs first);
 * every request gets one JSON access line with its request id.
 */
import { ApiProcess } from '../api/support/api-process';
import { jsonLines, parseMetrics, sampleValue } from './support/observed-app';

jest.setTimeout(120_000);

describe('api observability (real API process)', () => {
  let api: ApiProcess;

  beforeAll(async () => {
    api = await ApiProcess.start({});
  });
  afterAll(() => api?.stop());

  it('counts requests by route template and status, and logs each with its request id', async () => {
    for (const merchantId of ['m-obs-1', 'm-obs-2', 'm-obs-3']) {
      const refused = await api.request(`/v1/merchants/${merchantId}/profile`, {
        headers: { 'X-Request-Id': `obs-${merchantId}` },
      });
      expect(refused.status).toBe(401);
    }
    expect((await api.request('/no/such/route')).status).toBe(404);

    const scrape = await fetch(`${api.baseUrl}/metrics`);
    expect(scrape.status).toBe(200);
    const samples = parseMetrics(await scrape.text());
    const count = (route: string, status: string) =>
      sampleValue(samples, 'lendstream_http_request_duration_seconds_count', {
        service: 'api',
        method: 'GET',
        route,
        status,
      });
    // Route templates, never raw paths: three merchants make one series.
    expect(count('/v1/merchants/:merchantId/profile', '401')).toBe(3);
    expect(count('unmatched', '404')).toBe(1);
    expect(samples.filter((sample) => sample.labels.route?.includes('m-obs-'))).toEqual([]);

    const accessLine = jsonLines(api.service).find((line) => line.requestId === 'obs-m-obs-2');
    expect(accessLine).toMatchObject({
      service: 'api',
      context: 'Http',
      level: 'info',
      message: 'GET /v1/merchants/m-obs-2/profile 401',
      method: 'GET',
      route: '/v1/merchants/:merchantId/profile',
      status: 401,
    });
  });
});
