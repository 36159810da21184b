#!/usr/bin/env node
/**
 * `tollgate` command line: serve (default), config check, migrate and version here; the operator commands (nas,
 * tariff, subscriber, payment, sessions, ledger, import) in src/cli/, one module per group.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VendorProfiles } from './aaa/vendor-profiles.js';
import { loadDictionary, openDatabase } from './app/index.js';
import { ConfigError } from './config/errors.js';
import { loadConfig } from './config/load.js';
import { main } from './main.js';
import { createLogger } from './observability/logger.js';
import { packageRoot } from './app/paths.js';
import { runMigrations } from './store/migrations.js';
import { OPERATOR_USAGE, isOperatorCommand, runOperatorCommand } from './cli/dispatch.js';
import { processEnv } from './cli/env.js';

const USAGE = `Usage: tollgate [command] [options]

Commands:
  serve [--config FILE]          run the daemon (default command)
  config check [--config FILE]   validate the configuration, dictionaries and vendor profiles
  migrate [--config FILE]        apply pending database migrations and exit
  version                        print the version
${OPERATOR_USAGE}

Every command takes --config FILE. Exit codes: 0 ok, 1 failure, 64 usage, 65 bad data, 78 bad configuration.

The configuration file is FILE, else $TOLLGATE_CONFIG, else config/tollgate.yaml, else the built-in
development defaults. TOLLGATE_* environment variables override keys (see the README).
`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) fail(`${name} needs a value`);
  return v;
}

function fail(message: string): never {
  process.stderr.write(`tollgate: ${message}\n\n${USAGE}`);
  process.exit(64); // EX_USAGE
}

async function run(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      return main(option(rest, '--config'));
    case 'config': {
      if (rest[0] !== 'check') fail(`unknown config subcommand ${JSON.stringify(rest[0] ?? '')}`);
      try {
        const { config, source, warnings } = loadConfig({ file: option(rest, '--config') });
        const dict = loadDictionary(config);
        VendorProfiles.compile(dict, config.vendors);
        for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
        process.stdout.write(
          `${source}: ok (${config.clients.length} clients, ${config.users.length} users, ${dict.attributeCount} dictionary attributes)\n`,
        );
      } catch (err) {
        process.stderr.write(`${err instanceof ConfigError ? err.message : `tollgate: ${(err as Error).message}`}\n`);
        process.exit(err instanceof ConfigError ? 78 : 1);
      }
      return;
    }
    case 'migrate': {
      try {
        const { config } = loadConfig({ file: option(rest, '--config') });
        const log = createLogger('warn');
        const sql = await openDatabase(config, log);
        try {
          const { applied } = await runMigrations(sql);
          process.stdout.write(applied.length > 0 ? `applied migrations ${applied.join(', ')}\n` : 'database is up to date\n');
        } finally {
          await sql.close();
        }
      } catch (err) {
        process.stderr.write(`${err instanceof ConfigError ? err.message : `tollgate migrate: ${(err as Error).message}`}\n`);
        process.exit(err instanceof ConfigError ? 78 : 1);
      }
      return;
    }
    case 'version':
    case '--version': {
      const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
      process.stdout.write(`tollgate ${pkg.version}\n`);
      return;
    }
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      if (isOperatorCommand(command)) {
        process.exitCode = await runOperatorCommand(argv, processEnv, USAGE);
        return;
      }
      if (command.startsWith('--')) return main(option(argv, '--config'));
      fail(`unknown command ${JSON.stringify(command)}`);
  }
}

void run(process.argv.slice(2));
