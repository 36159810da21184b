#!/usr/bin/env node
/**
 * `tollgate` command line: serve (default), config check, migrate and version here; the operator commands (nas,
 * tariff, subscriber, account, payment, sessions, ledger, import) in src/cli/, one module per group. Each command
 * imports what it runs when it runs (the daemon, the store adapters, a command group), so `tollgate nas list`
 * loads neither the RADIUS servers nor the HTTP API, nor PGlite when the database is PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config/errors.js';
import { EXIT, parseArgs, UsageError } from './cli/common.js';
import { isOperatorCommand, runOperatorCommand } from './cli/dispatch.js';
import { processEnv } from './cli/env.js';
import { OPERATOR_USAGE } from './cli/usage.js';
import { packageRoot, shippedDictionary } from './app/paths.js';

const USAGE = `Usage: tollgate [command] [options]

Commands:
  serve [--config FILE]          run the daemon (default command)
  config check [--config FILE]   validate the configuration, dictionaries and vendor profiles
  migrate [--config FILE]        apply pending database migrations and exit
  version                        print the version
${OPERATOR_USAGE}

Every command takes --config FILE (or --config=FILE). Exit codes: 0 ok, 1 failure, 64 usage, 65 bad data,
78 bad configuration (a --config FILE that cannot be read is one).

The configuration file is FILE, else $TOLLGATE_CONFIG, else config/tollgate.yaml, else the built-in
development defaults. TOLLGATE_* environment variables override keys (see the README).
`;

/** The --config of a command that takes nothing else; anything else is a usage error. */
function configOnly(command: string, args: readonly string[]): string | undefined {
  const parsed = parseArgs(args, {});
  if (parsed.positional.length > 0) throw new UsageError(`${command} takes no argument ${JSON.stringify(parsed.positional[0])}`);
  return parsed.strings.get('--config');
}

/** A failure of serve, config check or migrate: the ConfigError as it is (78), anything else named (1). */
function failed(command: string, err: unknown): number {
  process.stderr.write(`${err instanceof ConfigError ? err.message : `tollgate ${command}: ${(err as Error).message}`}\n`);
  return err instanceof ConfigError ? EXIT.CONFIG : EXIT.FAILURE;
}

async function run(argv: readonly string[]): Promise<number | undefined> {
  const [first = 'serve', ...after] = argv;
  // `tollgate --config FILE` is `tollgate serve --config FILE`.
  const [command, rest] = first.startsWith('--') && !['--help', '--version'].includes(first) ? ['serve', argv] : [first, after];
  switch (command) {
    case 'serve': {
      const file = configOnly('serve', rest);
      const { main } = await import('./main.js');
      await main(file);
      return undefined;
    }
    case 'config': {
      const [sub, ...options] = rest;
      if (sub !== 'check') throw new UsageError(`unknown config subcommand ${JSON.stringify(sub ?? '')} (check)`);
      const file = configOnly('config check', options);
      try {
        const { checkConfig } = await import('./app/cli-store.js');
        const r = await checkConfig(file, shippedDictionary());
        for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
        process.stdout.write(`${r.source}: ok (${r.clients} clients, ${r.users} users, ${r.attributes} dictionary attributes)\n`);
        return EXIT.OK;
      } catch (err) {
        return failed('config check', err);
      }
    }
    case 'migrate': {
      const file = configOnly('migrate', rest);
      try {
        const { migrateDatabase } = await import('./app/cli-store.js');
        const applied = await migrateDatabase(file);
        process.stdout.write(applied.length > 0 ? `applied migrations ${applied.join(', ')}\n` : 'database is up to date\n');
        return EXIT.OK;
      } catch (err) {
        return failed('migrate', err);
      }
    }
    case 'version':
    case '--version': {
      configOnly('version', rest);
      const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
      process.stdout.write(`tollgate ${pkg.version}\n`);
      return EXIT.OK;
    }
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return EXIT.OK;
    default:
      if (isOperatorCommand(command)) return runOperatorCommand(argv, processEnv, USAGE);
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`tollgate: ${err.message}\n\n${USAGE}`);
    process.exitCode = EXIT.USAGE;
  },
);
