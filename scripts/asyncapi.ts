/**
 * Writes docs/asyncapi.json from libs/contracts. With `--check`, writes nothing and exits
 * non-zero when the checked-in copy is stale (CI runs this).
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { buildAsyncApiDocument } from '@lendstream/contracts';

const target = path.resolve(__dirname, '..', 'docs', 'asyncapi.json');
const version = (
  JSON.parse(readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
).version;
const generated = JSON.stringify(buildAsyncApiDocument(version), null, 2) + '\n';

if (process.argv.includes('--check')) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== generated) {
    console.error('docs/asyncapi.json is stale: run `npm run asyncapi` and commit the result.');
    process.exit(1);
  }
  console.log('docs/asyncapi.json is up to date.');
} else {
  writeFileSync(target, generated);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}
