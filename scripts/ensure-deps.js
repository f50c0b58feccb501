#!/usr/bin/env node
// Installs the project's npm dependencies when they are missing or older than the lock file,
// so that `npm run demo` and `npm test` work on a fresh clone with nothing else done first.
// Plain JavaScript on purpose: it must run before anything is installed.
const { existsSync, statSync } = require('node:fs');
const { execSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const marker = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  console.error('[ensure-deps] installing npm dependencies (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
