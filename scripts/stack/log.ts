/** The stack's output: one short line per step, prefixed with the service it is about. */
export type Service = 'stack' | 'kafka' | 'postgres' | 'redis' | 'topics' | 'migrate';

export function say(service: Service, message: string): void {
  process.stdout.write(`[${service}] ${message}\n`);
}

export function warn(service: Service, message: string): void {
  process.stderr.write(`[${service}] WARNING: ${message}\n`);
}

export function seconds(sinceMs: number): string {
  return `${((Date.now() - sinceMs) / 1000).toFixed(1)}s`;
}
