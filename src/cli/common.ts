/**
 * What every operator command shares: where output goes, how the store is opened, the option parser, the
 * errors that pick the exit code (64 usage, 65 bad data, 78 configuration, 1 anything else) and the output
 * helpers (aligned columns for people, `--json` for scripts).
 */
import { parseArgs as nodeParseArgs } from 'node:util';
import type { OpenedStore } from '../app/cli-store.js';
import type { ChangeEvent, ChangeFeed } from '../domain/ports.js';

export type { OpenedStore };

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

/** The process around a command: output streams and the database. Tests pass their own. */
export interface CliEnv {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Opens the configured database (FILE, else $TOLLGATE_CONFIG, …), migrated. */
  openStore(configFile: string | undefined): Promise<OpenedStore>;
  /** stderr is a terminal: long commands show progress on one line there (else they print a summary). */
  readonly interactive?: boolean;
  /** Standard input, all of it (`operator add` reads the password there, so it is in no argument list). */
  readonly readStdin?: () => Promise<string>;
  /** Who runs the command, for the audit log (the OS user; default `cli`). */
  readonly user?: string;
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
 * Parses `--name value`, `--name=value`, repeatable `list` options and flags with node:util's parseArgs (its
 * tokens, so that the mistakes below get messages naming the option). Unknown options, missing values, a value
 * for a flag and a string option given twice are UsageErrors (exit 64). A value may start with one dash
 * (`--balance -500`); one starting with two is taken for a forgotten value.
 */
export function parseArgs(args: readonly string[], spec: OptionSpec): ParsedArgs {
  const all: OptionSpec = { ...COMMON, ...spec };
  const options = Object.fromEntries(
    Object.entries(all).map(([name, kind]) => [name.slice(2), kind === 'flag' ? { type: 'boolean' as const } : { type: 'string' as const, multiple: kind === 'list' }]),
  );
  const { tokens } = nodeParseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const strings = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positional.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const name = token.rawName.startsWith('--') ? token.rawName : `-${token.name}`;
    const kind = all[name];
    if (kind === undefined) {
      const known = Object.keys(all).sort().join(', ');
      throw new UsageError(`unknown option ${name} (this command takes ${known})`);
    }
    if (kind === 'flag') {
      if (token.value !== undefined) throw new UsageError(`${name} takes no value`);
      flags.add(name);
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith('--'))) throw new UsageError(`${name} needs a value`);
    if (kind === 'list') lists.set(name, [...(lists.get(name) ?? []), value]);
    else if (strings.has(name)) throw new UsageError(`${name} is given twice; give it once`);
    else strings.set(name, value);
  }
  return { strings, lists, flags, positional };
}

/** The one positional ID|NAME of edit and delete. */
export function target(args: ParsedArgs, command: string, what: string): string {
  const [ref, ...extra] = args.positional;
  if (ref === undefined || ref === '') throw new UsageError(`${command} needs the ${what}`);
  if (extra.length > 0) throw new UsageError(`${command} takes one ${what}, got also ${JSON.stringify(extra[0])}`);
  return ref;
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
