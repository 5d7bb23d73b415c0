/**
 * The layering of DESIGN.md, checked rather than hoped for:
 *   db  <  platform  <  modules (in the order of MODULE_ORDER)  <  app / main / cli
 * - no import cycles;
 * - platform knows no domain; db knows no module; a module imports only lower modules;
 * - another module is reached only through its index.ts.
 */
const MODULE_ORDER = [
  'workspaces',
  'people',
  'customers',
  'calendars',
  'reasons',
  'templates',
  'notifications',
  'webhooks',
  'attachments',
  'conversations',
  'understanding',
  'routing',
  'sla',
  'commitments',
  'matters',
  'authority',
  'chat',
  'email',
  'bridges',
  'portal',
  'surveys',
  'macros',
  'search',
  'audit',
  'datacare',
  'demo',
];

const higherThan = (i) => MODULE_ORDER.slice(i + 1);

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'platform-is-domain-free',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/(modules|app|main|cli)' },
    },
    {
      name: 'db-knows-no-module',
      severity: 'error',
      from: { path: '^src/db/' },
      to: { path: '^src/(platform|modules|app|main|cli)' },
    },
    {
      name: 'modules-do-not-import-the-app',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: '^src/(app|main|cli)\\.ts$' },
    },
    ...MODULE_ORDER.map((m, i) => ({
      name: `module-order-${m}`,
      comment: `${m} may import only modules below it: ${MODULE_ORDER.slice(0, i).join(', ') || 'none'}`,
      severity: 'error',
      from: { path: `^src/modules/${m}/` },
      to: { path: `^src/modules/(${higherThan(i).join('|') || '__none__'})/` },
    })),
    {
      name: 'only-through-index',
      comment: "another module's files are reached only through its index.ts",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/([^/]+)/.+',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'outside-reaches-modules-through-index',
      severity: 'error',
      from: { path: '^src/(app|main|cli)\\.ts$' },
      to: { path: '^src/modules/[^/]+/.+', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(\\.test\\.ts$|^src/db/migrations)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
