import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The dashboard's files (apps/api/dashboard/): plain HTML, CSS and JavaScript modules, no
 * build step, no framework, nothing from a CDN. Only the files listed here are served (no
 * path from the request ever reaches the file system), each read once.
 */
export interface DashboardAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

export const DASHBOARD_DIRECTORY = join(__dirname, '..', '..', 'dashboard');

const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'format.js': 'text/javascript; charset=utf-8',
  'feed.js': 'text/javascript; charset=utf-8',
};

const cache = new Map<string, DashboardAsset>();

/** The named file, or undefined when it is not one of the dashboard's. */
export function dashboardAsset(name: string): DashboardAsset | undefined {
  if (!Object.hasOwn(FILES, name)) return undefined;
  let asset = cache.get(name);
  if (asset === undefined) {
    asset = { contentType: FILES[name]!, body: readFileSync(join(DASHBOARD_DIRECTORY, name)) };
    cache.set(name, asset);
  }
  return asset;
}
