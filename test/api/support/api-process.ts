import { randomBytes } from 'node:crypto';
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
/** A fresh namespace for the limiter's Redis keys (they expire by themselves within a window). */
export const uniqueRateLimitPrefix = (): string =>
  `test-rl-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

/** The API's own log line for each route it registered: `Mapped {/v1/audit, GET} route`. */
export function mappedRoutes(output: readonly string[]): Array<{ method: string; path: string }> {
  return output.flatMap((line) => {
    const match = /Mapped \{([^,]+), ([A-Z]+)\} route/.exec(line);
    return match === null ? [] : [{ path: match[1]!, method: match[2]! }];
  });
}

export class ApiProcess {
  private constructor(
    readonly service: ServiceProcess,
    readonly baseUrl: string,
  ) {}

  /**
   * Rate limits are counted in the shared Redis under a key prefix of this process's own (unless
   * `env` names one, as two processes that share their limits do), so that suites running at once
   * never spend each other's budget.
   */
  static async start(env: Record<string, string>): Promise<ApiProcess> {
    const service = await ServiceProcess.start({
      name: 'api',
      readyLine: READY_LINE,
      env: {
        NODE_ENV: 'test',
        API_PORT: '0',
        API_IDEMPOTENCY_PURGE_INTERVAL_MS: '0',
        API_RATE_LIMIT_KEY_PREFIX: uniqueRateLimitPrefix(),
        // Off unless a test needs it: it would index the stack's own scf.dlq.v1 into the test's database.
        API_DEAD_LETTER_INDEXER: 'off',
        ...env,
      },
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
