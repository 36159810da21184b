/**
 * The operator commands (everything but serve, config check, migrate and version, which src/cli.ts runs):
 * one module per command group, and one place that turns errors into exit codes and messages.
 */
import { ConfigError } from '../config/errors.js';
import { StoreError } from '../domain/ports.js';
import { DataError, EXIT, UsageError, type CliEnv } from './common.js';
import { IMPORT_CSV_USAGE, importCsv } from './import-csv.js';
import { IMPORT_FREERADIUS_USAGE, importFreeRadiusCommand } from './import-freeradius.js';
import { LEDGER_USAGE, ledgerCommand } from './ledger.js';
import { NAS_USAGE, nasCommand } from './nas.js';
import { PAYMENT_USAGE, paymentCommand } from './payments.js';
import { SESSIONS_USAGE, sessionsCommand } from './sessions.js';
import { SUBSCRIBER_USAGE, subscriberCommand } from './subscribers.js';
import { TARIFF_USAGE, tariffCommand } from './tariffs.js';

export const OPERATOR_USAGE = [NAS_USAGE, TARIFF_USAGE, SUBSCRIBER_USAGE, PAYMENT_USAGE, SESSIONS_USAGE, LEDGER_USAGE, IMPORT_CSV_USAGE, IMPORT_FREERADIUS_USAGE].join('\n');

type Command = (sub: string | undefined, argv: readonly string[], env: CliEnv) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  nas: nasCommand,
  tariff: tariffCommand,
  subscriber: subscriberCommand,
  payment: paymentCommand,
  sessions: sessionsCommand,
  ledger: ledgerCommand,
  import: (sub, argv, env) => {
    if (sub === 'csv') return importCsv(argv, env);
    if (sub === 'freeradius') return importFreeRadiusCommand(argv, env);
    throw new UsageError(`unknown import source ${JSON.stringify(sub ?? '')} (csv, freeradius)`);
  },
};

const GROUP_USAGE: Readonly<Record<string, string>> = {
  nas: NAS_USAGE,
  tariff: TARIFF_USAGE,
  subscriber: SUBSCRIBER_USAGE,
  payment: PAYMENT_USAGE,
  sessions: SESSIONS_USAGE,
  ledger: LEDGER_USAGE,
  import: `${IMPORT_CSV_USAGE}\n${IMPORT_FREERADIUS_USAGE}`,
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
    const command = COMMANDS[group];
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(group)}`);
    if (sub === '--help' || rest.includes('--help')) {
      env.stdout(usage);
      return EXIT.OK;
    }
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
