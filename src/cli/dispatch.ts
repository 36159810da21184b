/**
 * The operator commands (everything but serve, config check, migrate and version, which src/cli.ts runs):
 * one module per command group, imported when its group runs (a command loads only what it uses), and one place
 * that turns errors into exit codes and messages.
 */
import { ConfigError } from '../config/errors.js';
import { StoreError } from '../domain/ports.js';
import { DataError, EXIT, UsageError, type CliEnv } from './common.js';
import { GROUP_USAGE } from './usage.js';

type Command = (sub: string | undefined, argv: readonly string[], env: CliEnv) => Promise<number>;

const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  nas: async () => (await import('./nas.js')).nasCommand,
  tariff: async () => (await import('./tariffs.js')).tariffCommand,
  subscriber: async () => (await import('./subscribers.js')).subscriberCommand,
  account: async () => (await import('./accounts.js')).accountCommand,
  payment: async () => (await import('./payments.js')).paymentCommand,
  sessions: async () => (await import('./sessions.js')).sessionsCommand,
  ledger: async () => (await import('./ledger.js')).ledgerCommand,
  operator: async () => (await import('./operators.js')).operatorCommand,
  import: () =>
    Promise.resolve(async (sub, argv, env) => {
      if (sub === 'csv') return (await import('./import-csv.js')).importCsv(argv, env);
      if (sub === 'freeradius') return (await import('./import-freeradius.js')).importFreeRadiusCommand(argv, env);
      throw new UsageError(`unknown import source ${JSON.stringify(sub ?? '')} (csv, freeradius)`);
    }),
};

export function isOperatorCommand(name: string): boolean {
  return Object.hasOwn(COMMANDS, name);
}

/**
 * Runs `tollgate <group> <sub> …` and returns the exit code: 0, 1 (a failure, or ledger mismatches), 64 (usage),
 * 65 (bad data: refused values, conflicts, import files with errors), 78 (configuration).
 */
export async function runOperatorCommand(argv: readonly string[], env: CliEnv, usage: string): Promise<number> {
  const [group = '', sub, ...rest] = argv;
  const name = `tollgate ${group}${sub === undefined || sub.startsWith('--') ? '' : ` ${sub}`}`;
  try {
    const load = COMMANDS[group];
    if (!load) throw new UsageError(`unknown command ${JSON.stringify(group)}`);
    if (sub === '--help' || rest.includes('--help')) {
      env.stdout(usage);
      return EXIT.OK;
    }
    const command = await load();
    return await command(sub, rest, env);
  } catch (err) {
    if (err instanceof UsageError) {
      const own = GROUP_USAGE[group];
      env.stderr(`${name}: ${err.message}\n\n${own === undefined ? usage : `Usage:\n${own}\n\n(tollgate --help lists every command)\n`}`);
      return EXIT.USAGE;
    }
    if (err instanceof DataError) {
      env.stderr(`${name}: ${err.message}\n${err.problems.map((p) => `  ${p}\n`).join('')}`);
      return EXIT.DATA;
    }
    if (err instanceof StoreError && err.code !== 'STORE_UNAVAILABLE') {
      env.stderr(`${name}: ${err.message}\n`);
      return EXIT.DATA;
    }
    // The repositories' input checks (a bad address, a bad MAC, …) name the field.
    if (err instanceof RangeError) {
      env.stderr(`${name}: ${err.message}\n`);
      return EXIT.DATA;
    }
    if (err instanceof ConfigError) {
      env.stderr(`${err.message}\n`);
      return EXIT.CONFIG;
    }
    env.stderr(`${name}: ${(err as Error).message ?? String(err)}\n`);
    return EXIT.FAILURE;
  }
}
