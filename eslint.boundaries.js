// Import boundaries (docs/architecture.md): each folder of src/ is a layer; a file may import only the layers
// listed for it, and only the store adapters reach the database drivers. No exceptions list.
const layers = {
  radius: ['radius'],
  auth: ['auth'],
  domain: ['domain'],
  observability: ['observability'],
  schema: ['schema', 'domain', 'radius'],
  config: ['config', 'schema', 'domain', 'radius'],
  'billing-core': ['billing-core', 'domain'],
  store: ['store', 'domain', 'billing-core', 'schema', 'observability', 'auth'],
  transport: ['transport', 'radius', 'domain', 'observability', 'config'],
  billing: ['billing', 'billing-core', 'domain', 'observability', 'config'],
  aaa: ['aaa', 'radius', 'auth', 'domain', 'billing-core', 'billing', 'observability', 'transport', 'config', 'schema'],
  coa: ['coa', 'radius', 'domain', 'observability', 'aaa', 'config', 'billing-core'],
  http: ['http', 'domain', 'schema', 'observability', 'coa', 'aaa', 'billing', 'billing-core', 'config', 'radius'],
  portal: ['portal', 'http', 'domain', 'schema', 'observability', 'billing-core', 'billing', 'config'],
  app: ['app', 'radius', 'auth', 'domain', 'observability', 'schema', 'config', 'billing-core', 'store', 'transport', 'billing', 'aaa', 'coa', 'http', 'portal'],
  cli: ['cli', 'app', 'domain', 'schema', 'config', 'observability', 'billing-core', 'radius', 'auth'],
  entry: ['entry', 'app', 'cli', 'config', 'observability'],
};
/** Packages that do I/O or hold drivers, and the layers that may import them. */
const packages = {
  pg: ['store'],
  'pg-copy-streams': ['store'],
  '@electric-sql/pglite': ['store'],
  ioredis: ['store'],
  pino: ['observability'],
  'prom-client': ['observability'],
};
/** node: modules that do I/O; the pure layers may not import them. */
const pure = ['radius', 'auth', 'domain', 'billing-core', 'schema'];
const ioBuiltins = ['fs', 'fs/promises', 'net', 'dgram', 'http', 'https', 'tls', 'cluster', 'child_process', 'worker_threads'];

export const boundaryElements = [
  { type: 'billing-core', pattern: 'src/billing/core' },
  ...Object.keys(layers).filter((t) => t !== 'billing-core' && t !== 'entry').map((t) => ({ type: t, pattern: `src/${t}` })),
  { type: 'entry', pattern: 'src' },
];

export const boundaryPolicies = [
  ...Object.entries(layers).map(([from, to]) => ({
    from: { element: { type: from } },
    allow: { to: { element: { types: { anyOf: to } } } },
  })),
  // Packages and node: modules in general; the two lists below take some away (a later policy wins).
  { allow: { to: { module: { origin: 'external' } } } },
  { allow: { to: { module: { origin: 'core' } } } },
  ...Object.entries(packages).map(([pkg, allowed]) => ({
    from: { element: { types: { noneOf: allowed } } },
    disallow: { to: { module: { origin: 'external', source: pkg } } },
  })),
  ...ioBuiltins.map((m) => ({
    from: { element: { types: { anyOf: pure } } },
    disallow: { to: { module: { origin: 'core', source: `node:${m}` } } },
  })),
];
