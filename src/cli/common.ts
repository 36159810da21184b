/**
 * What every operator command shares: where output goes, how the store is opened, the option parser, the
 * errors that pick the exit code (64 usage, 65 bad data, 78 configuration, 1 anything else) and the output
 * helpers (aligned columns for people, `--json` for scripts).
 */
import type { ChangeEvent, ChangeFeed, Store } from '../domain/ports.js';

/** The exit codes of sysexits.h the CLI uses. */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 64, DATA: 65, CONFIG: 78 } as const;

/** A wrong command line: exit 64 with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Input that cannot be accepted (a bad value, a conflict, a file with errors): exit 65. */
export class DataError extends Error {
  override readonly name = 'DataError';
  constructor(
    message: string,
    /** Every problem, e.g. `line 7: password or nt_hash is required`. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

/** The store a command works on, and the change feed that tells running daemons what changed. */
export interface OpenedStore {
  readonly store: Store;
  readonly changes: ChangeFeed;
  /** Runs `fn` on a Store bound to one transaction (same options as `store`): all of it commits, or none. */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The process around a command: output streams and the database. Tests pass their own. */
export interface CliEnv {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Opens the configured database (FILE, else $TOLLGATE_CONFIG, …), migrated. */
  openStore(configFile: string | undefined): Promise<OpenedStore>;
}

export type OptionKind = 'string' | 'list' | 'flag';
export type OptionSpec = Readonly<Record<string, OptionKind>>;

export interface ParsedArgs {
  readonly strings: ReadonlyMap<string, string>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
  readonly flags: ReadonlySet<string>;
  readonly positional: readonly string[];
}

/** Every command takes --config; list commands add --json. */
const COMMON: OptionSpec = { '--config': 'string' };

/**
 * Parses `--name value`, `--name=value`, repeatable `list` options and flags. Unknown options, missing values and
 * a string option given twice are UsageErrors.
 */
export function parseArgs(args: readonly string[], spec: OptionSpec): ParsedArgs {
  const all: OptionSpec = { ...COMMON, ...spec };
  const strings = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const kind = all[name];
    if (kind === undefined) {
      const known = Object.keys(all).sort().join(', ');
      throw new UsageError(`unknown option ${name} (this command takes ${known})`);
    }
    if (kind === 'flag') {
      if (eq >= 0) throw new UsageError(`${name} takes no value`);
      flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value`);
      i++;
    }
    if (kind === 'list') lists.set(name, [...(lists.get(name) ?? []), value]);
    else if (strings.has(name)) throw new UsageError(`${name} is given twice; give it once`);
    else strings.set(name, value);
  }
  return { strings, lists, flags, positional };
}

export function required(args: ParsedArgs, name: string, what: string): string {
  const v = args.strings.get(name);
  if (v === undefined || v === '') throw new UsageError(`${name} is required: ${what}`);
  return v;
}

/** A non-negative integer option (money in minor units, kbit/s, bytes); a fraction is refused, not rounded. */
export function integerOption(args: ParsedArgs, name: string, options: { min?: number; max?: number } = {}): number | undefined {
  const text = args.strings.get(name);
  if (text === undefined) return undefined;
  return parseInteger(name, text, options, (m) => new UsageError(m));
}

export function parseInteger(name: string, text: string, { min = 0, max = Number.MAX_SAFE_INTEGER }: { min?: number; max?: number }, error: (message: string) => Error): number {
  const n = /^-?\d{1,16}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in ${min}..${max}`;
    throw error(`${name} must be an integer ${range}${/^-?\d+\.\d+$/.test(text.trim()) ? ' (money is in minor units: 1500 for 15.00)' : ''}, got ${JSON.stringify(text)}`);
  }
  return n;
}

/** Rows as aligned columns with a header, or "(none)". */
export function table(rows: readonly (readonly (string | number | boolean | null)[])[], header: readonly string[]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n') + '\n';
}

export function printJson(env: CliEnv, value: unknown): void {
  env.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** Publishes after a committed write; a failure is a warning (the write stands; daemons refresh later). */
export async function publishChanges(env: CliEnv, changes: ChangeFeed, events: readonly ChangeEvent[]): Promise<void> {
  for (const event of events) {
    try {
      await changes.publish(event);
    } catch (err) {
      env.stderr(`warning: the change was saved but not announced to running daemons (${(err as Error).message}); they pick it up on restart\n`);
      return;
    }
  }
}

/** Runs `fn` with the store open, closing it whatever happens. */
export async function withStore<T>(env: CliEnv, args: ParsedArgs, fn: (opened: OpenedStore) => Promise<T>): Promise<T> {
  const opened = await env.openStore(args.strings.get('--config'));
  try {
    return await fn(opened);
  } finally {
    await opened.close();
  }
}
