import { waitUntil } from '../../support/kafka-helpers';
import type { ServiceProcess } from '../../support/service-process';

/** One sample of the Prometheus text format: `name{labels} value`. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses the text exposition format (what every app's /metrics answers). */
export function parseMetrics(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`Not a metric sample: ${line}`);
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[label[1]!] = label[2]!.replace(/\\(.)/g, '$1');
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample named `name` whose labels include `labels`; undefined when there is none. */
export function sampleValue(
  samples: readonly MetricSample[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const matching = samples.filter(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  if (matching.length > 1)
    throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return matching[0]?.value;
}

/** An app's health and metrics listener, as Prometheus and an orchestrator see it. */
export class ObservedEndpoint {
  constructor(readonly baseUrl: string) {}

  async get(path: string): Promise<{ status: number; body: unknown; text: string }> {
    const response = await fetch(`${this.baseUrl}${path}`);
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, body, text };
  }

  async metrics(): Promise<MetricSample[]> {
    const { status, text } = await this.get('/metrics');
    if (status !== 200) throw new Error(`/metrics answered ${status}: ${text}`);
    return parseMetrics(text);
  }

  /** Waits until /health/ready answers `status` (a reconnecting client may take a few seconds). */
  async waitForReadiness(status: 200 | 503, timeoutMs = 30_000): Promise<{ status: number; body: unknown }> {
    let last: { status: number; body: unknown } | undefined;
    await waitUntil(
      `/health/ready to answer ${status}`,
      async () => {
        last = await this.get('/health/ready');
        return last.status === status;
      },
      timeoutMs,
    );
    return last!;
  }
}

/** Every line the service wrote, each parsed as the JSON object it must be. */
export function jsonLines(service: ServiceProcess): Array<Record<string, unknown>> {
  return service.output.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`A log line of the ${service.name} is not JSON: ${line}`);
    }
  });
}
