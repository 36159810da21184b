/**
 * load(file, env) → frozen Config. Validation happens once, at boot, through the zod schema; every problem is
 * reported together — the shapes, the values and the rules across keys in one pass, never in rounds — each naming
 * its key and its true source (the file, or the TOLLGATE_* variable that set it), and nothing runs on a config
 * that did not validate.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { developmentConfig } from './defaults.js';
import { ConfigError, type Issue } from './errors.js';
import { UNKNOWN_KEY } from './fields.js';
import { configSchema, type Config } from './schema.js';

export interface LoadedConfig {
  readonly config: Config;
  /** The file read, or 'built-in development defaults'. */
  readonly source: string;
  /** Things worth a log line at start-up (short secrets, the dev defaults in use). */
  readonly warnings: readonly string[];
}

/** Environment variables that override keys, in the form operators use in containers and units. */
export const ENV_OVERRIDES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['TOLLGATE_DATA_DIR', ['dataDir']],
  ['TOLLGATE_LOG_LEVEL', ['log', 'level']],
  ['TOLLGATE_RADIUS_AUTH_PORT', ['radius', 'authPort']],
  ['TOLLGATE_RADIUS_ACCT_PORT', ['radius', 'acctPort']],
  ['TOLLGATE_WORKERS', ['radius', 'workers']],
  ['TOLLGATE_RADIUS_IO', ['radius', 'io']],
  ['TOLLGATE_RADSEC_PORT', ['radius', 'radsec', 'port']],
  ['TOLLGATE_ADMIN_PORT', ['admin', 'port']],
  ['TOLLGATE_ADMIN_LISTEN', ['admin', 'listen']],
  ['TOLLGATE_ADMIN_TOKEN', ['admin', 'token']],
  ['TOLLGATE_PORTAL_PORT', ['portal', 'port']],
  ['TOLLGATE_PORTAL_WIDGET_SECRET', ['portal', 'widgetSecret']],
  ['TOLLGATE_PORTAL_CSRF_SECRET', ['portal', 'csrfSecret']],
  ['TOLLGATE_DATABASE_URL', ['database', 'url']],
  ['TOLLGATE_REDIS_URL', ['redis', 'url']],
];

export const DEFAULT_CONFIG_PATH = 'config/tollgate.yaml';

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function readFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('CONFIG_UNREADABLE', `config: cannot read ${path}: ${(err as Error).message}`, [], { cause: err });
  }
  let doc: unknown;
  try {
    // YAML 1.2 is a superset of JSON; JSON.parse reads a large generated file (100k users) ~50× faster.
    doc = /^\s*\{/.test(text) ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError('CONFIG_UNREADABLE', `config: ${path} is not valid YAML: ${(err as Error).message}`, [], { cause: err });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError('CONFIG_UNREADABLE', `config: ${path} must hold a mapping at the top level`);
  }
  return doc as Record<string, unknown>;
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const listAt = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Rules across keys, run on the input as given (whatever its shapes), so they are reported together with the
 * shape problems rather than in a second round.
 */
function crossCheck(input: Record<string, unknown>, issues: Issue[]): void {
  const seenAddress = new Map<string, number>();
  listAt(input.clients).forEach((c, i) => {
    if (!isMapping(c) || typeof c.address !== 'string') return;
    const prev = seenAddress.get(c.address);
    if (prev !== undefined) issues.push({ key: `clients[${i}].address`, message: `${c.address} is already used by clients[${prev}]` });
    else seenAddress.set(c.address, i);
  });
  const seenUser = new Map<string, number>();
  listAt(input.users).forEach((u, i) => {
    if (!isMapping(u)) return;
    const name = typeof u.username === 'string' ? u.username : undefined;
    if ((u.password === undefined || u.password === null) && (u.ntHash === undefined || u.ntHash === null)) {
      issues.push({ key: `users[${i}]`, message: `user ${JSON.stringify(name ?? '')} needs password or ntHash` });
    }
    if (name === undefined) return;
    const prev = seenUser.get(name);
    if (prev !== undefined) issues.push({ key: `users[${i}].username`, message: `${name} is already defined at users[${prev}]` });
    else seenUser.set(name, i);
  });
  const radius = isMapping(input.radius) ? input.radius : {};
  const radsec = isMapping(radius.radsec) ? radius.radsec : {};
  const tlsFiles = ['certFile', 'keyFile', 'caFile'] as const;
  const setFiles = tlsFiles.filter((k) => radsec[k] !== undefined && radsec[k] !== null);
  if (setFiles.length > 0 && setFiles.length < tlsFiles.length) {
    for (const k of tlsFiles.filter((f) => !setFiles.includes(f))) {
      issues.push({ key: `radius.radsec.${k}`, message: `is required with radius.radsec.${setFiles.join(' and ')}: RadSec needs the server certificate, its key and the CA of the NAS certificates` });
    }
  }
  const database = isMapping(input.database) ? input.database : {};
  const workers = radius.workers === undefined || radius.workers === null ? 1 : Number(radius.workers);
  if (workers !== 1 && !Number.isNaN(workers) && !database.url) {
    issues.push({
      key: 'radius.workers',
      message: 'more than one worker needs database.url (PostgreSQL): the embedded database lives in one process',
    });
  }
}

/** `clients[1].secret` from zod's path. */
function keyOf(path: readonly PropertyKey[]): string {
  let key = '';
  for (const part of path) key += typeof part === 'number' ? `[${part}]` : key === '' ? String(part) : `.${String(part)}`;
  return key;
}

/** zod's issues as config issues: one per unknown key (zod reports them together), each at its dotted key. */
function fromZod(issues: readonly z.core.$ZodIssue[]): Issue[] {
  const out: Issue[] = [];
  for (const i of issues) {
    const key = keyOf(i.path);
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) out.push({ key: key ? `${key}.${k}` : k, message: i.message.startsWith(UNKNOWN_KEY) ? i.message : `${UNKNOWN_KEY} (${i.message})` });
    } else {
      out.push({ key, message: i.message });
    }
  }
  return out;
}

/**
 * One section of the configuration on its own (a test, or a tool that checks a fragment): the parsed value, or
 * undefined, and the problems, keyed under `key` as they would be in the whole file.
 */
export function checkSection<S extends z.ZodType>(schema: S, value: unknown, key: string): { value: z.output<S> | undefined; issues: Issue[] } {
  const r = schema.safeParse(value);
  if (r.success) return { value: r.data, issues: [] };
  const prefix = (k: string) => (k === '' ? key : k.startsWith('[') ? `${key}${k}` : `${key}.${k}`);
  return { value: undefined, issues: fromZod(r.error.issues).map((i) => ({ ...i, key: prefix(i.key) })) };
}

/**
 * Validates `input` read from `source`. `fromEnvironment` maps the dotted keys the environment set to their
 * variable, so a problem there is blamed on the variable, not on the file.
 */
export function validateConfig(input: Record<string, unknown>, source: string, fromEnvironment: ReadonlyMap<string, string> = new Map()): Config {
  const parsed = configSchema.safeParse(input);
  const found: Issue[] = parsed.success ? [] : fromZod(parsed.error.issues);
  crossCheck(input, found);
  if (found.length > 0 || !parsed.success) {
    const issues = found.map((i): Issue => ({ ...i, source: fromEnvironment.get(i.key) ?? source }));
    const envUsed = issues.some((i) => i.source !== source);
    const lines = issues.map((i) => `  ${i.key || '(top level)'}: ${i.message}${i.source === source ? '' : ` (from the environment variable ${i.source})`}`);
    const where = `${source}${envUsed ? ' and the environment' : ''}`;
    throw new ConfigError('CONFIG_INVALID', `config: ${issues.length} problem(s) in ${where}:\n${lines.join('\n')}`, issues);
  }
  return deepFreeze(parsed.data);
}

/**
 * Reads TOLLGATE_CONFIG (or `file`), else config/tollgate.yaml when present, else the development defaults;
 * applies TOLLGATE_* overrides; validates. Throws ConfigError.
 */
export function loadConfig(options: { file?: string | undefined; env?: NodeJS.ProcessEnv; cwd?: string } = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const warnings: string[] = [];
  const explicit = options.file ?? env.TOLLGATE_CONFIG;
  let input: Record<string, unknown>;
  let source: string;
  if (explicit) {
    source = resolve(cwd, explicit);
    input = readFile(source);
  } else if (existsSync(resolve(cwd, DEFAULT_CONFIG_PATH))) {
    source = resolve(cwd, DEFAULT_CONFIG_PATH);
    input = readFile(source);
  } else {
    source = 'built-in development defaults';
    input = structuredClone(developmentConfig);
    warnings.push(
      'no configuration file: using the built-in development defaults (localhost NAS with secret "testing123", demo subscribers alice and bob in the embedded database); set TOLLGATE_CONFIG for production',
    );
  }
  const fromEnvironment = new Map<string, string>();
  for (const [name, path] of ENV_OVERRIDES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(input, path, value);
    fromEnvironment.set(path.join('.'), name);
  }
  const config = validateConfig(input, source, fromEnvironment);
  for (const c of config.clients) {
    if (c.secret.length < 12 && source !== 'built-in development defaults') warnings.push(`client ${c.name}: shared secret shorter than 12 characters; use 16 or more random characters`);
  }
  return { config, source, warnings };
}
