import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * One benchmark's outcome. This machine is shared and noisy, so every figure is reported
 * next to a baseline measured in the same run, and judged by their ratio.
 */
export interface BenchResult {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
  readonly baseline: number;
  /** value / baseline. */
  readonly ratio: number;
  /** What the ratio or value must reach, in words a reader can check (e.g. "ratio >= 0.5"). */
  readonly target: string;
  readonly targetMet: boolean;
  readonly command: string;
  readonly ranAt: string;
  /** Other figures worth keeping with the result (sizes, counts, per-round numbers). */
  readonly details: Readonly<Record<string, unknown>>;
}

export const resultsDirectory = path.resolve(__dirname, '..', '..', 'bench', 'results');

export function writeResult(result: BenchResult): string {
  mkdirSync(resultsDirectory, { recursive: true });
  const file = path.join(resultsDirectory, `${result.name}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

export function printTable(results: readonly BenchResult[]): void {
  const rows = results.map((result) => [
    result.name,
    `${formatNumber(result.value)} ${result.unit}`,
    `${formatNumber(result.baseline)} ${result.unit}`,
    result.ratio.toFixed(3),
    result.target,
    result.targetMet ? 'met' : 'MISSED',
  ]);
  const header = ['benchmark', 'value', 'baseline', 'ratio', 'target', ''];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  console.log('\n' + line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

const formatNumber = (value: number) =>
  Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : value.toLocaleString('en-US', { maximumFractionDigits: 1 });
