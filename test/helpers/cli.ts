/**
 * The built CLI (`node dist/src/cli.js`) as an operator runs it, for tests of its exit codes and output: a config
 * file naming the test database, and a run that resolves with the exit code instead of throwing on a non-zero one.
 * The environment's TOLLGATE_* settings are blanked, so the CLI reads only the config file it is given.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildOnce } from './build.js';
import type { TestSql } from './sql.js';

const run = promisify(execFile);
export const ROOT = join(import.meta.dirname, '../..');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run build` (once per test run: ./build.ts): the tests run what dist/ holds. */
export async function buildCli(): Promise<void> {
  await buildOnce();
}

/**
 * Writes `dir`/tollgate.yaml and returns its path. With TEST_DATABASE_URL: PostgreSQL, in the schema `testSql`
 * is connected to (named on the connection, so the CLI sees what the test wrote); else the default embedded
 * database under `dir`.
 */
export async function writeCliConfig(dir: string, testSql: TestSql | undefined, poolSize: number): Promise<string> {
  const file = join(dir, 'tollgate.yaml');
  const url = process.env.TEST_DATABASE_URL;
  if (url && testSql) {
    const [row] = await testSql.sql.query<{ schema: string }>('SELECT current_schema() AS schema');
    const withSchema = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${row!.schema}`)}`;
    writeFileSync(file, `dataDir: ${JSON.stringify(dir)}\ndatabase:\n  url: ${JSON.stringify(withSchema)}\n  poolSize: ${poolSize}\n`);
  } else {
    writeFileSync(file, `dataDir: ${JSON.stringify(dir)}\n`);
  }
  return file;
}

/** `tollgate <args> --config <configFile>` in the config's directory. */
export function runCli(configFile: string, ...args: string[]): Promise<CliResult> {
  return runCliIn(join(configFile, '..'), ...args, '--config', configFile);
}

/** `tollgate <args>` in `cwd`, with no configuration from the environment: exit code, stdout, stderr. */
export async function runCliIn(cwd: string, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'dist/src/cli.js'), ...args], {
      cwd,
      env: { ...process.env, TOLLGATE_CONFIG: '', TOLLGATE_DATABASE_URL: '', TOLLGATE_REDIS_URL: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
