#!/usr/bin/env node
/**
 * `tollgate` command line: serve (default), config check, migrate, ledger verify, version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VendorProfiles } from './aaa/vendor-profiles.js';
import { loadDictionary, openDatabase } from './app.js';
import { ConfigError } from './config/errors.js';
import { loadConfig } from './config/load.js';
import { main } from './main.js';
import { createLogger } from './observability/logger.js';
import { packageRoot } from './paths.js';
import { runMigrations } from './store/migrations.js';
import { createStore } from './store/store.js';

const USAGE = `Usage: tollgate [command] [options]

Commands:
  serve [--config FILE]          run the daemon (default command)
  config check [--config FILE]   validate the configuration, dictionaries and vendor profiles
  migrate [--config FILE]        apply pending database migrations and exit
  ledger verify [--config FILE] [--json]
                                 check balance = payments + adjustments - charges for every account
                                 (exit 1 when any account does not match)
  version                        print the version

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
    // ---- ledger verify ------------------------------------------------------------------------------------
    case 'ledger': {
      if (rest[0] !== 'verify') fail(`unknown ledger subcommand ${JSON.stringify(rest[0] ?? '')}`);
      let mismatched = false;
      try {
        const { config } = loadConfig({ file: option(rest, '--config') });
        const sql = await openDatabase(config, createLogger('warn'));
        try {
          const result = await createStore(sql).ledger.verify();
          mismatched = result.mismatches.length > 0;
          if (rest.includes('--json')) {
            process.stdout.write(`${JSON.stringify(result)}\n`);
          } else {
            for (const m of result.mismatches) {
              process.stdout.write(`account ${m.accountId}: balance ${m.balance}, expected ${m.expected} (difference ${m.balance - m.expected})\n`);
            }
            process.stdout.write(`ledger: ${result.accounts} accounts, ${result.mismatches.length} mismatches\n`);
          }
        } finally {
          await sql.close();
        }
      } catch (err) {
        process.stderr.write(`${err instanceof ConfigError ? err.message : `tollgate ledger verify: ${(err as Error).message}`}\n`);
        process.exit(err instanceof ConfigError ? 78 : 1);
      }
      if (mismatched) process.exitCode = 1;
      return;
    }
    // ---- end ledger verify --------------------------------------------------------------------------------
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
      if (command.startsWith('--')) return main(option(argv, '--config'));
      fail(`unknown command ${JSON.stringify(command)}`);
  }
}

void run(process.argv.slice(2));
