import { ServiceProcess } from '../../support/service-process';

/** What main.ts logs once it listens; the port follows (API_PORT=0 picks a free one). */
const READY_LINE = 'API is listening on port';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body (undefined when there is none). */
  readonly body: unknown;
}

export interface ApiRequest {
  readonly method?: string;
  readonly token?: string;
  readonly headers?: Record<string, string>;
  /** Sent as is (a string) or as JSON. */
  readonly body?: unknown;
}

/** The real API (`apps/api/src/main.ts`) in a child process, on a port of its own. */
export class ApiProcess {
  private constructor(
    readonly service: ServiceProcess,
    readonly baseUrl: string,
  ) {}

  static async start(env: Record<string, string>): Promise<ApiProcess> {
    const service = await ServiceProcess.start({
      name: 'api',
      readyLine: READY_LINE,
      env: { NODE_ENV: 'test', API_PORT: '0', API_IDEMPOTENCY_PURGE_INTERVAL_MS: '0', ...env },
    });
    const line = service.output.find((entry) => entry.includes(READY_LINE))!;
    const port = /listening on port (\d+)/.exec(line)![1];
    return new ApiProcess(service, `http://127.0.0.1:${port}`);
  }

  async request(path: string, request: ApiRequest = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...request.headers };
    if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
    let body: string | undefined;
    if (request.body !== undefined) {
      body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: request.method ?? 'GET',
      headers,
      body,
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  }

  stop(): Promise<void> {
    return this.service.stop();
  }
}
