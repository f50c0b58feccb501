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
import { checkReadiness, ReadinessProbe, ReadinessReport } from '../readiness';
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
