import type { BenchResult } from './bench-result';
import { creditLineLatencyBenchmark } from './credit-line-latency.bench';
import { drawdownBenchmark } from './drawdown.bench';
import { ingestBenchmark } from './ingest.bench';
import { profileMemoryBenchmark } from './profile-memory.bench';

/** Every benchmark, by the name `npm run bench -- <name>` takes and its result file carries. */
export const BENCHMARKS: Readonly<Record<string, () => Promise<BenchResult>>> = {
  ingest: ingestBenchmark,
  'profile-memory': profileMemoryBenchmark,
  'credit-line-latency': creditLineLatencyBenchmark,
  drawdown: drawdownBenchmark,
};
