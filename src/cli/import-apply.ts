/**
 * The write half of `tollgate import freeradius` (`import csv` writes in bulk: import-csv.ts), and the report
 * both print: validated subscriber rows go into the store in ONE transaction (every row, or none), through the
 * repositories. A username that already exists is skipped, or
 * updated with --update (credentials, tariff, address, MAC, limits, status; never the account or its money).
 * --dry-run does all of it and rolls back, so the report shows exactly what a real run would do, database
 * conflicts included. Change events go out after the commit.
 */
import { StoreError, subscriberPatchOf, type BulkSubscriberRow, type ChangeEvent, type Store } from '../domain/ports.js';
import { DataError, publishChanges, type CliEnv, type OpenedStore } from './common.js';

/** One subscriber to import: the bulk import's row (`where` says where it came from: "line 7", "radcheck user bob"). */
export type ImportRow = BulkSubscriberRow;

export interface ImportOutcome {
  readonly where: string;
  readonly username: string;
  readonly action: 'created' | 'updated' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly subscriberId?: number;
  readonly accountId?: number;
}

/** A row that was not imported: its line (null for the file as a whole), the column, the message. */
export interface ImportFailure {
  readonly line: number | null;
  readonly field: string | null;
  readonly message: string;
}

export interface ImportReport {
  readonly dryRun: boolean;
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  /** Rows refused (import csv: any refusal means nothing was written); absent in import freeradius. */
  readonly failed?: number;
  readonly failures?: readonly ImportFailure[];
  /** Import csv stopped looking for more refused rows at this line (after 100). */
  readonly stoppedAtLine?: number;
  readonly rows: readonly ImportOutcome[];
}

export const OPENING_BALANCE_REASON = 'opening balance (import)';

class DryRunRollback extends Error {}

async function applyRow(store: Store, row: ImportRow, update: boolean, events: ChangeEvent[]): Promise<ImportOutcome> {
  const base = { where: row.where, username: row.username };
  const [existing] = (await store.subscribers.list({ limit: 1, offset: 0 }, { username: row.username })).items;
  if (existing) {
    if (!update) return { ...base, action: 'skipped', reason: 'the username exists (re-run with --update to change it)', subscriberId: existing.id };
    const updated = await store.subscribers.update(existing.id, subscriberPatchOf(row));
    events.push({ kind: 'subscriber', id: existing.id, usernames: [row.username] });
    return { ...base, action: 'updated', subscriberId: existing.id, accountId: updated?.accountId ?? existing.accountId };
  }
  let accountId = row.accountId;
  if (accountId === undefined) {
    accountId = (await store.accounts.create(row.creditLimit === undefined ? {} : { creditLimit: row.creditLimit })).id;
    if (row.balance !== undefined && row.balance !== 0) {
      await store.ledger.adjust({ accountId, amount: row.balance, reason: OPENING_BALANCE_REASON });
    }
  }
  const created = await store.subscribers.create({ username: row.username, accountId, ...subscriberPatchOf(row) });
  events.push({ kind: 'subscriber', id: created.id, usernames: [row.username] });
  return { ...base, action: 'created', subscriberId: created.id, accountId };
}

/**
 * Imports `rows` (already validated) in one transaction; a row the database refuses aborts all with DataError.
 * `rows` may be a function run first inside the transaction (to create what the rows refer to, e.g. tariffs).
 */
export async function applyImport(
  env: CliEnv,
  opened: OpenedStore,
  rows: readonly ImportRow[] | ((store: Store) => Promise<readonly ImportRow[]>),
  options: { update: boolean; dryRun: boolean },
): Promise<ImportReport> {
  const events: ChangeEvent[] = [];
  let outcomes: ImportOutcome[] = [];
  try {
    await opened.transaction(async (store) => {
      outcomes = [];
      for (const row of typeof rows === 'function' ? await rows(store) : rows) {
        try {
          outcomes.push(await applyRow(store, row, options.update, events));
        } catch (err) {
          if (err instanceof StoreError || err instanceof RangeError) {
            throw new DataError(`${row.where} (${row.username}): ${err.message}; nothing was imported`, [`${row.where}: ${err.message}`]);
          }
          throw err;
        }
      }
      if (options.dryRun) throw new DryRunRollback();
    });
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err;
  }
  if (!options.dryRun) await publishChanges(env, opened.changes, events);
  const count = (a: ImportOutcome['action']): number => outcomes.filter((o) => o.action === a).length;
  return { dryRun: options.dryRun, created: count('created'), updated: count('updated'), skipped: count('skipped'), rows: outcomes };
}

/** The report for people: one line per skipped row, then the totals. */
export function describeReport(report: ImportReport, extra: readonly string[] = []): string {
  const lines = report.rows
    .filter((o) => o.action === 'skipped' || o.action === 'failed')
    .map((o) => `${o.action === 'failed' ? 'failed' : 'skipped'} ${o.where} ${o.username}: ${o.reason ?? ''}`);
  lines.push(...extra);
  const verb = report.dryRun ? 'would create' : 'created';
  const failed = report.failed ? `, failed ${report.failed}` : '';
  lines.push(`${report.dryRun ? 'dry run, nothing written: ' : ''}${verb} ${report.created}, ${report.dryRun ? 'would update' : 'updated'} ${report.updated}, skipped ${report.skipped}${failed}`);
  return `${lines.join('\n')}\n`;
}
