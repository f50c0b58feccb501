/**
 * `npm run bench` runs every benchmark; `npm run bench -- <name> [<name>…]` runs some.
 * Each prints a table and writes bench/results/<name>.json. Benchmarks use the local stack
 * (brought up first) on their own topics and Redis keys, and clean up after themselves.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { BenchResult, printTable, writeResult } from './bench-result';
import { BENCHMARKS } from './registry';

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((argument) => !argument.startsWith('-'));
  const unknown = asked.filter((name) => !(name in BENCHMARKS));
  if (unknown.length > 0) {
    console.error(
      `bench: unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`,
    );
    process.exit(2);
  }
  const names = asked.length > 0 ? asked : Object.keys(BENCHMARKS);

  const root = path.resolve(__dirname, '..', '..');
  const stack = spawnSync('npm', ['run', '-s', 'stack', '--', 'up'], { cwd: root, stdio: 'inherit' });
  if (stack.status !== 0) process.exit(stack.status ?? 1);

  const results: BenchResult[] = [];
  for (const name of names) {
    console.log(`\n▶ ${name}`);
    const result = await BENCHMARKS[name]!();
    console.log(`  wrote ${path.relative(process.cwd(), writeResult(result))}`);
    results.push(result);
  }
  printTable(results);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
