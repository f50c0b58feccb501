import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { ApiErrorCode, errorBody } from '../../http/api-error';
import { describeNotReady, ReadinessReport } from '../readiness';

export interface ObservabilityServerOptions {
  /** 1..65535; the apps do not start a server at all for 0. */
  readonly port: number;
  /** Every interface by default: Prometheus and the orchestrator's probes come from elsewhere. */
  readonly host?: string;
  readonly registry: Registry;
  readonly readiness: () => Promise<ReadinessReport>;
}

/**
 * The small HTTP listener of an app that serves no HTTP of its own (the Kafka consumers):
 * `GET /health/live`, `GET /health/ready` (503 naming the dependency that is down) and
 * `GET /metrics`, public like the API's, in the API's JSON and error format. Node's own HTTP
 * server: Express and Nest's router would be a lot of machinery for three routes.
 */
export class ObservabilityServer {
  private server: Server | undefined;
  private readonly logger = new Logger('Observability');

  constructor(private readonly options: ObservabilityServerOptions) {}

  /** Listens; resolves with the port. */
  async start(): Promise<number> {
    const server = createServer((request, response) => void this.answer(request, response));
    // A scraper holding a connection open must not delay shutdown.
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.logger.log(`Health and metrics are served on port ${port}`);
    return port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0]!.replace(/\/+$/, '') || '/';
    try {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.setHeader('Allow', 'GET, HEAD');
        return json(
          response,
          405,
          errorBody(ApiErrorCode.METHOD_NOT_ALLOWED, `${request.method} is not allowed here`),
        );
      }
      if (path === '/health/live') return json(response, 200, { status: 'live' });
      if (path === '/health/ready') {
        const report = await this.options.readiness();
        if (report.ready) return json(response, 200, { status: 'ready', checks: report.checks });
        return json(response, 503, {
          ...errorBody(ApiErrorCode.NOT_READY, describeNotReady(report)),
          checks: report.checks,
        });
      }
      if (path === '/metrics') {
        const text = await this.options.registry.metrics();
        response.writeHead(200, { 'Content-Type': this.options.registry.contentType });
        response.end(text);
        return;
      }
      return json(
        response,
        404,
        errorBody(ApiErrorCode.NOT_FOUND, `No route ${path}: try /health/live, /health/ready or /metrics`),
      );
    } catch (error) {
      this.logger.error(
        `Answering ${path} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (!response.headersSent)
        json(response, 500, errorBody(ApiErrorCode.INTERNAL_ERROR, 'Internal error'));
      else response.destroy();
    }
  }
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}
