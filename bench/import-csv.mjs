#!/usr/bin/env node
/**
 * `tollgate import csv` throughput: generates N subscriber rows (password, tariff, framed IP, MAC, and an opening
 * balance on every tenth), imports them with the built CLI (`npm run build` first) into the PostgreSQL database
 * at URL, and prints rows/s. The database should be a scratch one (the import migrates it and leaves the rows):
 *
 *   createdb -h 127.0.0.1 -U postgres tg_import_bench
 *   node bench/import-csv.mjs 20000 postgres://postgres@127.0.0.1:5432/tg_import_bench
 *   dropdb -h 127.0.0.1 -U postgres tg_import_bench
 *
 * Usernames carry a run id, so the script can be run again on the same database.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [countArg = '20000', url = process.env.TOLLGATE_DATABASE_URL] = process.argv.slice(2);
const n = Number(countArg);
if (!Number.isSafeInteger(n) || n < 1 || !url) {
  process.stderr.write('usage: node bench/import-csv.mjs N postgres://USER@HOST/DB\n');
  process.exit(64);
}
const root = join(import.meta.dirname, '..');
const cli = join(root, 'dist/src/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'tollgate-import-bench-'));
const run = Date.now().toString(36);
try {
  const config = join(dir, 'tollgate.yaml');
  writeFileSync(config, `dataDir: ${JSON.stringify(dir)}\ndatabase:\n  url: ${JSON.stringify(url)}\n`);
  const env = { ...process.env, TOLLGATE_CONFIG: '', TOLLGATE_DATABASE_URL: '', TOLLGATE_REDIS_URL: '' };
  const tariff = `bench-${run}`;
  execFileSync(process.execPath, [cli, 'tariff', 'add', '--name', tariff, '--monthly-fee', '30000', '--config', config], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const lines = ['username,password,tariff,framed_ip,mac,balance'];
  // A run id in the second octet block keeps addresses unique across runs (up to 65,536 rows per run).
  const block = Number.parseInt(run.slice(-3), 36) % 256;
  for (let i = 0; i < n; i++) {
    const hex = i.toString(16).padStart(6, '0');
    lines.push(`bench-${run}-${i},pw-${i},${tariff},10.${block}.${(i >> 8) & 255}.${i & 255},02:00:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${(block).toString(16).padStart(2, '0')},${i % 10 === 0 ? 5000 : ''}`);
  }
  const file = join(dir, 'subscribers.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, 'import', 'csv', file, '--config', config], { env, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    process.exit(r.status ?? 1);
  }
  process.stdout.write(`${r.stdout}${r.stderr}`);
  process.stdout.write(`import csv: ${n} rows in ${seconds.toFixed(2)} s = ${Math.round(n / seconds)} rows/s (whole command, start-up included)\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
