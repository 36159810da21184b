/**
 * `tollgate import csv FILE`: subscribers from a CSV file with a header row (docs: README, "Importing
 * subscribers"). Every row is checked — syntax, values, duplicates inside the file, tariffs and accounts in the
 * database — and every problem is reported with its line number before anything is written (exit 65).
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { SUBSCRIBER_STATUSES, type SubscriberStatus, type Tariff } from '../domain/types.js';
import { macAddress } from '../store/validate.js';
import { DataError, EXIT, parseArgs, parseInteger, printJson, UsageError, withStore, type CliEnv } from './common.js';
import { CsvSyntaxError, parseCsv, type CsvRecord } from './csv.js';
import { applyImport, describeReport, type ImportRow } from './import-apply.js';
import { allTariffs } from './tariffs.js';

/** The columns a file may have, in the documented order. Only `username` is required. */
export const CSV_COLUMNS = [
  'username', 'password', 'nt_hash', 'account_id', 'credit_limit', 'balance', 'tariff',
  'framed_ip', 'framed_pool', 'mac', 'simultaneous_use', 'status',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

export const IMPORT_CSV_USAGE = `  import csv FILE [--update] [--dry-run] [--json]
                                 subscribers from CSV (header row; columns ${CSV_COLUMNS.join(', ')});
                                 existing usernames are skipped, or changed with --update`;

type Cells = Partial<Record<Column, string>>;

function headerMap(record: CsvRecord): Column[] {
  const problems: string[] = [];
  const columns = record.fields.map((f) => f.trim().toLowerCase());
  columns.forEach((c, i) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(c)) problems.push(`line ${record.line}: unknown column ${JSON.stringify(c)} (column ${i + 1}); the columns are ${CSV_COLUMNS.join(', ')}`);
    else if (columns.indexOf(c) !== i) problems.push(`line ${record.line}: column ${c} appears twice`);
  });
  if (!columns.includes('username')) problems.push(`line ${record.line}: the header has no username column (the first line must name the columns)`);
  if (!columns.includes('password') && !columns.includes('nt_hash')) problems.push(`line ${record.line}: the header needs a password or nt_hash column`);
  if (problems.length > 0) throw new DataError(`the header of the file is not valid`, problems);
  return columns as Column[];
}

/** One row's values, or its problems (each already prefixed with the line). */
function rowOf(record: CsvRecord, cells: Cells, tariffs: readonly Tariff[]): { row?: ImportRow; problems: string[] } {
  const problems: string[] = [];
  const at = `line ${record.line}`;
  const bad = (message: string): void => void problems.push(`${at}: ${message}`);
  const int = (column: Column, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    const text = cells[column];
    if (text === undefined) return undefined;
    try {
      return parseInteger(column, text, { min, max }, (m) => new Error(m));
    } catch (err) {
      bad((err as Error).message);
      return undefined;
    }
  };
  const username = cells.username;
  if (username === undefined) bad('username is empty');
  else if (username.length > 253) bad('username is longer than 253 characters');
  if ((cells.password === undefined) === (cells.nt_hash === undefined)) bad('give exactly one of password and nt_hash');
  if (cells.nt_hash !== undefined && !/^(0x)?[0-9a-f]{32}$/i.test(cells.nt_hash)) bad(`nt_hash must be 32 hex digits, got ${JSON.stringify(cells.nt_hash)}`);
  const accountId = int('account_id', 1);
  const creditLimit = int('credit_limit', 0);
  const balance = int('balance', Number.MIN_SAFE_INTEGER);
  if (cells.account_id !== undefined && (cells.credit_limit !== undefined || cells.balance !== undefined)) {
    bad('credit_limit and balance are for the new account; leave them empty when account_id names an existing one');
  }
  let tariffId: number | undefined;
  if (cells.tariff !== undefined) {
    const ref = cells.tariff;
    const found = /^\d+$/.test(ref) ? tariffs.find((t) => t.id === Number(ref)) : tariffs.find((t) => t.name === ref);
    if (found) tariffId = found.id;
    else bad(`no tariff ${/^\d+$/.test(ref) ? 'with id' : 'named'} ${JSON.stringify(ref)} (tollgate tariff list shows them)`);
  }
  if (cells.framed_ip !== undefined && isIP(cells.framed_ip) === 0) bad(`framed_ip must be an IPv4 or IPv6 address, got ${JSON.stringify(cells.framed_ip)}`);
  let mac: string | undefined;
  if (cells.mac !== undefined) {
    try {
      mac = macAddress('mac', cells.mac);
    } catch (err) {
      bad((err as Error).message);
    }
  }
  const simultaneousUse = int('simultaneous_use', 1, 2_147_483_647);
  if (cells.status !== undefined && !(SUBSCRIBER_STATUSES as readonly string[]).includes(cells.status)) bad(`status must be one of ${SUBSCRIBER_STATUSES.join(', ')}, got ${JSON.stringify(cells.status)}`);
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
    if (err instanceof CsvSyntaxError) throw new DataError('the file is not valid CSV', [err.message]);
    throw err;
  }
  const [header, ...data] = records;
  if (!header) throw new DataError('the file is empty', ['line 1: expected a header row naming the columns']);
  const columns = headerMap(header);
  if (data.length === 0) throw new DataError('the file has a header but no rows', [`line ${header.line}: nothing follows the header`]);
  const problems: string[] = [];
  const rows: ImportRow[] = [];
  const usernames = new Map<string, number>();
  const ips = new Map<string, number>();
  for (const record of data) {
    if (record.fields.length !== columns.length) {
      problems.push(`line ${record.line}: ${record.fields.length} fields, but the header has ${columns.length}`);
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
    if (firstUser !== undefined) problems.push(`line ${record.line}: username ${JSON.stringify(row.username)} is already on line ${firstUser}`);
    else usernames.set(row.username, record.line);
    if (row.framedIp !== undefined) {
      const firstIp = ips.get(row.framedIp);
      if (firstIp !== undefined) problems.push(`line ${record.line}: framed_ip ${row.framedIp} is already on line ${firstIp}`);
      else ips.set(row.framedIp, record.line);
    }
    rows.push(row);
  }
  if (problems.length > 0) throw new DataError(`${problems.length} problem${problems.length === 1 ? '' : 's'} in the file; nothing was imported`, problems);
  return rows;
}

export async function importCsv(argv: readonly string[], env: CliEnv): Promise<number> {
  const args = parseArgs(argv, { '--update': 'flag', '--dry-run': 'flag', '--json': 'flag' });
  const [file, ...extra] = args.positional;
  if (file === undefined || extra.length > 0) throw new UsageError('import csv takes one FILE');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new DataError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return withStore(env, args, async (opened) => {
    const rows = readImportCsv(text, await allTariffs(opened.store));
    const missing: string[] = [];
    for (const id of new Set(rows.flatMap((r) => (r.accountId === undefined ? [] : [r.accountId])))) {
      if (!(await opened.store.accounts.get(id))) missing.push(...rows.filter((r) => r.accountId === id).map((r) => `${r.where}: no account with id ${id}`));
    }
    if (missing.length > 0) throw new DataError(`${missing.length} row(s) name an account that does not exist; nothing was imported`, missing);
    const report = await applyImport(env, opened, rows, { update: args.flags.has('--update'), dryRun: args.flags.has('--dry-run') });
    if (args.flags.has('--json')) printJson(env, report);
    else env.stdout(describeReport(report));
    return EXIT.OK;
  });
}
