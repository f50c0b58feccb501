/**
 * What the stack serves, from the same validated environment the apps read
 * (libs/platform config): KAFKA_BROKERS, DATABASE_URL, REDIS_URL, KAFKA_PARTITIONS.
 */
import { loadPlatformEnv } from '@lendstream/platform';
import { StackError } from './errors';

/** The broker address the stack runs itself. Any other KAFKA_BROKERS is someone else's broker. */
export const LOCAL_BROKER = { host: '127.0.0.1', port: 9092, controllerPort: 9093 } as const;

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface StackEndpoints {
  readonly kafka: {
    readonly brokers: readonly string[];
    /** True when KAFKA_BROKERS names the local broker, so `up` starts it if it is not running. */
    readonly managed: boolean;
  };
  readonly partitions: number;
  readonly postgres: HostPort & { readonly url: string };
  readonly redis: HostPort & { readonly url: string };
}

export function resolveEndpoints(source: NodeJS.ProcessEnv = process.env): StackEndpoints {
  let env;
  try {
    env = loadPlatformEnv(source);
  } catch (error) {
    throw new StackError(`${(error as Error).message} (fix or unset the variable)`);
  }
  return {
    kafka: { brokers: env.KAFKA_BROKERS, managed: isLocalBroker(env.KAFKA_BROKERS) },
    partitions: env.KAFKA_PARTITIONS,
    postgres: { ...hostPortOf(env.DATABASE_URL, 5432), url: env.DATABASE_URL },
    redis: { ...hostPortOf(env.REDIS_URL, 6379), url: env.REDIS_URL },
  };
}

/** Loopback names for which `up` may start a service itself; a remote one is only checked. */
export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}

function isLocalBroker(brokers: readonly string[]): boolean {
  if (brokers.length !== 1) return false;
  const { host, port } = parseHostPort(brokers[0]!);
  return (host === LOCAL_BROKER.host || host === 'localhost') && port === LOCAL_BROKER.port;
}

export function parseHostPort(hostAndPort: string): HostPort {
  const separator = hostAndPort.lastIndexOf(':');
  return {
    host: hostAndPort.slice(0, separator).replace(/^\[|\]$/g, ''),
    port: Number(hostAndPort.slice(separator + 1)),
  };
}

function hostPortOf(rawUrl: string, defaultPort: number): HostPort {
  const url = new URL(rawUrl);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? defaultPort : Number(url.port),
  };
}
