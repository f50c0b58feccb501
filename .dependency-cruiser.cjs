/**
 * The architecture rules, checked in CI (`npm run lint`):
 * - a library's pure core (everything in libs/<lib>/src except files under an `adapters/`
 *   folder, `*.module.ts` and `*.spec.ts`) imports nothing from Nest, Kafka, Redis or the ORM;
 * - apps never import each other, and libraries never import apps;
 * - no circular imports anywhere.
 */
const infrastructure = '^(@nestjs/|kafkajs|ioredis|typeorm|pg$|pg/|express|rxjs)';
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle is a design bug; break it rather than patch it with forwardRef.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pure-core',
      severity: 'error',
      comment: 'Domain code is pure: infrastructure lives in adapters/ beside it.',
      from: { path: '^libs/[^/]+/src/', pathNot: ['/adapters/', '\\.module\\.ts$', '\\.spec\\.ts$'] },
      to: { path: infrastructure, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'pure-core-via-adapters',
      severity: 'error',
      comment: 'A pure core may not reach into adapters either (only the lib index and modules may).',
      from: { path: '^libs/[^/]+/src/', pathNot: ['/adapters/', '\\.module\\.ts$', '\\.spec\\.ts$', '/index\\.ts$'] },
      to: { path: '^libs/[^/]+/src/.*/adapters/' },
    },
    {
      name: 'apps-are-independent',
      severity: 'error',
      comment: 'Apps are thin deployables; shared code belongs in a library.',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
