import { createServer, type AddressInfo, type Server } from 'node:net';
import { Logger } from '@nestjs/common';
import { Registry } from 'prom-client';
import { JsonLogger } from './json-logger';
import { ObservabilityLifecycle, ObservabilityOptions, ReadinessChecker } from './observability.providers';

describe('ObservabilityLifecycle', () => {
  let occupier: Server;
  let occupiedPort: number;
  const lines: string[] = [];

  beforeAll(async () => {
    occupier = createServer();
    await new Promise<void>((resolve) => occupier.listen(0, '0.0.0.0', () => resolve()));
    occupiedPort = (occupier.address() as AddressInfo).port;
    Logger.overrideLogger(new JsonLogger({ service: 'unit', write: (line) => lines.push(line) }));
  });
  afterAll(async () => {
    Logger.overrideLogger(false);
    await new Promise<void>((resolve) => occupier.close(() => resolve()));
  });

  const lifecycle = (httpPort: number | undefined) => {
    const options: ObservabilityOptions = { registry: new Registry(), healthTimeoutMs: 100, httpPort };
    return new ObservabilityLifecycle(options, new ReadinessChecker({}, options));
  };

  it('keeps the app up when its port is taken, and says so as an error', async () => {
    const app = lifecycle(occupiedPort);
    await expect(app.onApplicationBootstrap()).resolves.toBeUndefined();
    await app.onApplicationShutdown();
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({
        level: 'error',
        context: 'Observability',
        message: `Health and metrics are NOT served: port ${occupiedPort} is in use by another process`,
      }),
    );
  });

  it('starts no listener for port 0 or none', async () => {
    lines.length = 0;
    await lifecycle(0).onApplicationBootstrap();
    await lifecycle(undefined).onApplicationBootstrap();
    expect(lines).toEqual([]);
  });
});
