/**
 * `tollgate import csv FILE`: subscribers from a CSV file with a header row (docs: README, "Importing
 * subscribers"). Every row is checked — syntax, values, duplicates inside the file, tariffs and accounts in the
 * database — and every problem is reported with its line number before anything is written (exit 65). Then the
 * rows go in in bulk and all or nothing (the store's bulk import: one transaction, 1,000 rows per statement and
 * savepoint); rows the database still refuses (a framed IP another subscriber has) are each reported with their
 * line and column, nothing is written, and the command exits 65.
 */
import { readFile } from 'node:fs/promises';
import { macAddress } from '../app/cli-store.js';
import { framedIp } from '../schema/index.js';
import { SUBSCRIBER_STATUSES, type SubscriberStatus, type Tariff } from '../domain/types.js';
import type { BulkRowOutcome } from '../domain/ports.js';
import { DataError, EXIT, parseArgs, parseInteger, printJson, publishChanges, UsageError, withStore, type CliEnv } from './common.js';
import { CsvSyntaxError, parseCsv, type CsvRecord } from './csv.js';
import { describeReport, OPENING_BALANCE_REASON, type ImportFailure, type ImportOutcome, type ImportReport, type ImportRow } from './import-apply.js';
import { allTariffs } from './tariffs.js';
import { CSV_COLUMNS } from './usage.js';

const FRAMED_IP = framedIp();

export { CSV_COLUMNS };
type Column = (typeof CSV_COLUMNS)[number];

/** A file refused before anything was written: the problems as text (stderr) and as failures (--json). */
export class ImportFileError extends DataError {
  constructor(
    message: string,
    readonly failures: readonly ImportFailure[],
    problems: readonly string[] = failures.map((f) => (f.line === null ? f.message : `line ${f.line}: ${f.message}`)),
  ) {
    super(message, problems);
  }
}

type Cells = Partial<Record<Column, string>>;

function headerMap(record: CsvRecord): Column[] {
  const problems: ImportFailure[] = [];
  const bad = (field: string | null, message: string): void => void problems.push({ line: record.line, field, message });
  const columns = record.fields.map((f) => f.trim().toLowerCase());
  columns.forEach((c, i) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(c)) bad(c, `unknown column ${JSON.stringify(c)} (column ${i + 1}); the columns are ${CSV_COLUMNS.join(', ')}`);
    else if (columns.indexOf(c) !== i) bad(c, `column ${c} appears twice`);
  });
  if (!columns.includes('username')) bad('username', 'the header has no username column (the first line must name the columns)');
  if (!columns.includes('password') && !columns.includes('nt_hash')) bad('password', 'the header needs a password or nt_hash column');
  if (problems.length > 0) throw new ImportFileError(`the header of the file is not valid`, problems);
  return columns as Column[];
}

/** One row's values, or its problems (each already prefixed with the line). */
function rowOf(record: CsvRecord, cells: Cells, tariffs: readonly Tariff[]): { row?: ImportRow; problems: ImportFailure[] } {
  const problems: ImportFailure[] = [];
  const at = `line ${record.line}`;
  const bad = (field: Column, message: string): void => void problems.push({ line: record.line, field, message });
  const int = (column: Column, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    const text = cells[column];
    if (text === undefined) return undefined;
    try {
      return parseInteger(column, text, { min, max }, (m) => new Error(m));
    } catch (err) {
      bad(column, (err as Error).message);
      return undefined;
    }
  };
  const username = cells.username;
  if (username === undefined) bad('username', 'username is empty');
  else if (username.length > 253) bad('username', 'username is longer than 253 characters');
  if ((cells.password === undefined) === (cells.nt_hash === undefined)) bad(cells.password === undefined ? 'password' : 'nt_hash', 'give exactly one of password and nt_hash');
  if (cells.nt_hash !== undefined && !/^(0x)?[0-9a-f]{32}$/i.test(cells.nt_hash)) bad('nt_hash', `nt_hash must be 32 hex digits, got ${JSON.stringify(cells.nt_hash)}`);
  const accountId = int('account_id', 1);
  const creditLimit = int('credit_limit', 0);
  const balance = int('balance', Number.MIN_SAFE_INTEGER);
  if (cells.account_id !== undefined && (cells.credit_limit !== undefined || cells.balance !== undefined)) {
    bad('account_id', 'credit_limit and balance are for the new account; leave them empty when account_id names an existing one');
  }
  let tariffId: number | undefined;
  if (cells.tariff !== undefined) {
    const ref = cells.tariff;
    const found = /^\d+$/.test(ref) ? tariffs.find((t) => t.id === Number(ref)) : tariffs.find((t) => t.name === ref);
    if (found) tariffId = found.id;
    else bad('tariff', `no tariff ${/^\d+$/.test(ref) ? 'with id' : 'named'} ${JSON.stringify(ref)} (tollgate tariff list shows them)`);
  }
  if (cells.framed_ip !== undefined) {
    // The API's rule (one schema): only an IPv4 address goes out as Framed-IP-Address.
    const checked = FRAMED_IP.check(cells.framed_ip);
    if (!checked.ok) bad('framed_ip', `framed_ip ${checked.message}`);
  }
  let mac: string | undefined;
  if (cells.mac !== undefined) {
    try {
      mac = macAddress('mac', cells.mac);
    } catch (err) {
      bad('mac', (err as Error).message);
    }
  }
  const simultaneousUse = int('simultaneous_use', 1, 65_535); // the API's bound (src/schema/resources.ts)
  if (cells.status !== undefined && !(SUBSCRIBER_STATUSES as readonly string[]).includes(cells.status)) bad('status', `status must be one of ${SUBSCRIBER_STATUSES.join(', ')}, got ${JSON.stringify(cells.status)}`);
  if (problems.length > 0 || username === undefined) return { problems };
  const row: ImportRow = {
    where: at,
    username,
    ...(cells.password === undefined ? {} : { password: cells.password }),
    ...(cells.nt_hash === undefined ? {} : { ntHash: cells.nt_hash.replace(/^0x/i, '') }),
    ...(accountId === undefined ? {} : { accountId }),
    ...(creditLimit === undefined ? {} : { creditLimit }),
    ...(balance === undefined ? {} : { balance }),
    ...(tariffId === undefined ? {} : { tariffId }),
    ...(cells.framed_ip === undefined ? {} : { framedIp: cells.framed_ip }),
    ...(cells.framed_pool === undefined ? {} : { framedPool: cells.framed_pool }),
    ...(mac === undefined ? {} : { mac }),
    ...(simultaneousUse === undefined ? {} : { simultaneousUse }),
    ...(cells.status === undefined ? {} : { status: cells.status as SubscriberStatus }),
  };
  return { row, problems };
}

/**
 * The rows of a CSV text, every problem found at once (DataError) — syntax, values, tariffs by id or name,
 * usernames and framed IPs repeated in the file. Cells are trimmed, except passwords; an empty cell is absent.
 */
export function readImportCsv(text: string, tariffs: readonly Tariff[]): ImportRow[] {
  let records: CsvRecord[];
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new ImportFileError('the file is not valid CSV', [{ line: err.line, field: null, message: err.reason }]);
    throw err;
  }
  const [header, ...data] = records;
  if (!header) throw new ImportFileError('the file is empty', [{ line: 1, field: null, message: 'expected a header row naming the columns' }]);
  const columns = headerMap(header);
  if (data.length === 0) throw new ImportFileError('the file has a header but no rows', [{ line: header.line, field: null, message: 'nothing follows the header' }]);
  const problems: ImportFailure[] = [];
  const rows: ImportRow[] = [];
  const usernames = new Map<string, number>();
  const ips = new Map<string, number>();
  for (const record of data) {
    if (record.fields.length !== columns.length) {
      problems.push({ line: record.line, field: null, message: `${record.fields.length} fields, but the header has ${columns.length}` });
      continue;
    }
    const cells: Cells = {};
    columns.forEach((c, i) => {
      const raw = record.fields[i] ?? '';
      const value = c === 'password' ? raw : raw.trim();
      if (value !== '') cells[c] = value;
    });
    const result = rowOf(record, cells, tariffs);
    problems.push(...result.problems);
    const row = result.row;
    if (!row) continue;
    const firstUser = usernames.get(row.username);
    if (firstUser !== undefined) problems.push({ line: record.line, field: 'username', message: `username ${JSON.stringify(row.username)} is already on line ${firstUser}` });
    else usernames.set(row.username, record.line);
    if (row.framedIp !== undefined) {
      const firstIp = ips.get(row.framedIp);
      if (firstIp !== undefined) problems.push({ line: record.line, field: 'framed_ip', message: `framed_ip ${row.framedIp} is already on line ${firstIp}` });
      else ips.set(row.framedIp, record.line);
    }
    rows.push(row);
  }
  if (problems.length > 0) throw new ImportFileError(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the file; nothing was imported`, problems);
  return rows;
}

/** The CSV column a store field is about (framedIp → framed_ip, tariffId → tariff). */
function columnOf(field: string | undefined): string | null {
  if (field === undefined) return null;
  if (field === 'tariffId') return 'tariff';
  const snake = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return (CSV_COLUMNS as readonly string[]).includes(snake) ? snake : field;
}

const lineOf = (row: ImportRow): number => Number(/\d+/.exec(row.where)?.[0] ?? 0);

/** Writes progress (a terminal) or a summary (anything else) to stderr, every chunk and at the end. */
function progress(env: CliEnv, total: number): { update(done: number): void; end(): void } {
  const start = performance.now();
  const rate = (done: number): number => done / Math.max((performance.now() - start) / 1000, 1e-3);
  return {
    update(done) {
      if (!env.interactive) return;
      const perSecond = rate(done);
      const eta = done < total ? ` ETA ${Math.ceil((total - done) / Math.max(perSecond, 1))} s` : '';
      env.stderr(`\rimport: ${done}/${total} rows, ${Math.round(perSecond)} rows/s${eta}   `);
    },
    end() {
      const seconds = (performance.now() - start) / 1000;
      if (env.interactive) env.stderr('\n');
      env.stderr(`import: ${total} row${total === 1 ? '' : 's'} in ${seconds.toFixed(1)} s (${Math.round(rate(total))} rows/s)\n`);
    },
  };
}

/** The per-row outcomes of the store as the report's rows and failures. */
function reportOf(rows: readonly ImportRow[], outcomes: readonly BulkRowOutcome[], dryRun: boolean): ImportReport {
  const out: ImportOutcome[] = [];
  const failures: ImportFailure[] = [];
  for (const o of outcomes) {
    const row = rows[o.index]!;
    out.push({
      where: row.where,
      username: row.username,
      action: o.action,
      ...(o.reason === undefined ? {} : { reason: o.reason }),
      ...(o.subscriberId === undefined ? {} : { subscriberId: o.subscriberId }),
      ...(o.accountId === undefined ? {} : { accountId: o.accountId }),
    });
    if (o.action === 'failed') failures.push({ line: lineOf(row), field: columnOf(o.field), message: o.reason ?? 'refused by the database' });
  }
  const count = (a: ImportOutcome['action']): number => out.filter((o) => o.action === a).length;
  return { dryRun, created: count('created'), updated: count('updated'), skipped: count('skipped'), failed: failures.length, failures, rows: out };
}

export async function importCsv(argv: readonly string[], env: CliEnv): Promise<number> {
  const args = parseArgs(argv, { '--update': 'flag', '--dry-run': 'flag', '--json': 'flag' });
  const [file, ...extra] = args.positional;
  if (file === undefined || extra.length > 0) throw new UsageError('import csv takes one FILE');
  const json = args.flags.has('--json');
  const dryRun = args.flags.has('--dry-run');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new DataError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return withStore(env, args, async (opened) => {
    let rows: ImportRow[];
    try {
      rows = readImportCsv(text, await allTariffs(opened.store));
      const missing: ImportFailure[] = [];
      for (const id of new Set(rows.flatMap((r) => (r.accountId === undefined ? [] : [r.accountId])))) {
        if (!(await opened.store.accounts.get(id))) missing.push(...rows.filter((r) => r.accountId === id).map((r) => ({ line: lineOf(r), field: 'account_id', message: `no account with id ${id}` })));
      }
      if (missing.length > 0) throw new ImportFileError(`${missing.length} row(s) name an account that does not exist; nothing was imported`, missing);
    } catch (err) {
      // --json: the failures on stdout too, in the shape of a report, so a script reads one document either way.
      if (json && err instanceof ImportFileError) printJson(env, { dryRun, created: 0, updated: 0, skipped: 0, failed: err.failures.length, failures: err.failures, rows: [] });
      throw err;
    }
    const shown = progress(env, rows.length);
    const result = await opened.bulk.importSubscribers(rows, {
      update: args.flags.has('--update'),
      dryRun,
      openingBalanceReason: OPENING_BALANCE_REASON,
      onProgress: (done) => shown.update(done),
    });
    shown.end();
    const refused = result.rows.filter((o) => o.action === 'failed');
    if (refused.length > 0) {
      // The store rolled the whole file back: the failures, as for a file refused before writing.
      const failures = refused.map((o) => ({ line: lineOf(rows[o.index]!), field: columnOf(o.field), message: o.reason ?? 'refused by the database' }));
      const stoppedAtLine = result.stoppedAt === undefined ? undefined : lineOf(rows[result.stoppedAt]!);
      const stopped = stoppedAtLine === undefined ? '' : ` (stopped looking after ${refused.length}: lines ${stoppedAtLine} and after were not checked)`;
      const error = new ImportFileError(
        `${refused.length} row${refused.length === 1 ? '' : 's'} refused${stopped}; nothing was imported`,
        failures,
        refused.map((o) => `${rows[o.index]!.where} (${rows[o.index]!.username}): ${o.reason ?? 'refused by the database'}`),
      );
      if (json) printJson(env, { dryRun, created: 0, updated: 0, skipped: 0, failed: failures.length, failures, ...(stoppedAtLine === undefined ? {} : { stoppedAtLine }), rows: [] });
      throw error;
    }
    const report = reportOf(rows, result.rows, dryRun);
    if (result.written) {
      const events = result.rows.flatMap((o) =>
        (o.action === 'created' || o.action === 'updated') && o.subscriberId !== undefined ? [{ kind: 'subscriber' as const, id: o.subscriberId, usernames: [rows[o.index]!.username] }] : [],
      );
      await publishChanges(env, opened.changes, events);
    }
    if (json) printJson(env, report);
    else env.stdout(describeReport(report));
    return EXIT.OK;
  });
}
