import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
  Provider,
} from '@nestjs/common';
import type { Admin } from 'kafkajs';
import type { Registry } from 'prom-client';
import { OutboxRelay } from '@lendstream/messaging';
import { checkReadiness, ReadinessProbe, ReadinessReport } from '../readiness';
import { registerOutboxBacklogGauges } from './metrics-registry';
import { ObservabilityServer } from './observability-server';
import { createReadinessKafkaAdmin } from './readiness-probes';

/** The app's Prometheus registry (createMetricsRegistry), created before Nest so the transport can count into it. */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');
/** `Record<name, probe>`: exactly the dependencies the app uses, provided by the app's module. */
export const READINESS_PROBES = Symbol('READINESS_PROBES');
/** The Kafka admin of the readiness check (readinessKafkaAdminProvider), closed at shutdown. */
export const READINESS_KAFKA_ADMIN = Symbol('READINESS_KAFKA_ADMIN');
export const OBSERVABILITY_OPTIONS = Symbol('OBSERVABILITY_OPTIONS');

export interface ObservabilityOptions {
  readonly registry: Registry;
  /** Each readiness probe fails after this long. */
  readonly healthTimeoutMs: number;
  /** The health and metrics listener's port; 0 (or none) starts none, as for the API, which serves them itself. */
  readonly httpPort?: number;
}

/** `/health/ready`'s check: every probe of READINESS_PROBES, bounded by the health timeout. */
@Injectable()
export class ReadinessChecker {
  constructor(
    @Inject(READINESS_PROBES) private readonly probes: Readonly<Record<string, ReadinessProbe>>,
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions,
  ) {}

  check(): Promise<ReadinessReport> {
    return checkReadiness(this.probes, this.options.healthTimeoutMs);
  }
}

/**
 * Starts the health and metrics listener when the app boots (before a consumer joins its group,
 * so liveness answers during a slow join) and stops it last, after the transport drained: the
 * metrics stay scrapable while the app shuts down.
 */
@Injectable()
export class ObservabilityLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: ObservabilityServer | undefined;
  private readonly logger = new Logger('Observability');

  constructor(
    @Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityOptions,
    @Inject(ReadinessChecker) private readonly readiness: ReadinessChecker,
    @Optional() @Inject(READINESS_KAFKA_ADMIN) private readonly kafkaAdmin?: Admin,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.httpPort === undefined || this.options.httpPort === 0) return;
    const server = new ObservabilityServer({
      port: this.options.httpPort,
      registry: this.options.registry,
      readiness: () => this.readiness.check(),
    });
    try {
      await server.start();
      this.server = server;
    } catch (error) {
      // Health and metrics must not take the app down with them (two demos on one machine share
      // the default ports): the app runs on, and says loudly what it does not serve.
      this.logger.error(
        `Health and metrics are NOT served: port ${this.options.httpPort} ${describeListenError(error)}`,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
    await this.kafkaAdmin?.disconnect().catch(() => undefined);
  }
}

function describeListenError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') return 'is in use by another process';
  return `cannot be listened on: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The providers every app spreads into its root module: the registry, the readiness check and
 * the listener. The app adds a READINESS_PROBES provider built from its own clients (which only
 * its own module can inject), and readinessKafkaAdminProvider when it checks Kafka.
 */
export function observabilityProviders(options: ObservabilityOptions): Provider[] {
  return [
    { provide: OBSERVABILITY_OPTIONS, useValue: options },
    { provide: METRICS_REGISTRY, useValue: options.registry },
    ReadinessChecker,
    ObservabilityLifecycle,
  ];
}

export function readinessKafkaAdminProvider(options: {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly timeoutMs: number;
}): Provider {
  return { provide: READINESS_KAFKA_ADMIN, useFactory: () => createReadinessKafkaAdmin(options) };
}

export interface WorkerObservabilityOptions {
  readonly registry: Registry;
  /** Each readiness probe (and the outbox backlog's read) fails after this long. */
  readonly healthTimeoutMs: number;
  readonly httpPort?: number;
  readonly kafkaBrokers: readonly string[];
  readonly clientId: string;
}

/**
 * What every Kafka worker (profiler, underwriter, lending) serves alike: the health and metrics
 * listener and the Kafka admin its readiness uses. Each app adds its READINESS_PROBES (exactly
 * what it depends on) and, with an outbox, outboxBacklogGaugesProvider.
 */
export function workerObservabilityProviders(options: WorkerObservabilityOptions): Provider[] {
  return [
    ...observabilityProviders({
      registry: options.registry,
      healthTimeoutMs: options.healthTimeoutMs,
      httpPort: options.httpPort,
    }),
    readinessKafkaAdminProvider({
      brokers: options.kafkaBrokers,
      clientId: options.clientId,
      timeoutMs: options.healthTimeoutMs,
    }),
  ];
}

/** Nothing to inject: the gauges read the relay's backlog when Prometheus scrapes. */
const OUTBOX_BACKLOG_GAUGES = Symbol('OUTBOX_BACKLOG_GAUGES');

/** The outbox backlog gauges of an app with a relay, read from the relay at scrape time. */
export function outboxBacklogGaugesProvider(registry: Registry, timeoutMs: number): Provider {
  return {
    provide: OUTBOX_BACKLOG_GAUGES,
    inject: [OutboxRelay],
    useFactory: (relay: OutboxRelay) =>
      registerOutboxBacklogGauges(registry, () => relay.outboxBacklog(), timeoutMs),
  };
}
