import type { ServiceSpec } from './services';

/** Every long-running service of the project; `npm start` runs them all. */
export const SERVICES: readonly ServiceSpec[] = [
  { name: 'profiler', entry: 'apps/profiler/src/main.ts' },
  { name: 'underwriter', entry: 'apps/underwriter/src/main.ts' },
  { name: 'lending', entry: 'apps/lending/src/main.ts' },
  { name: 'api', entry: 'apps/api/src/main.ts' },
];
