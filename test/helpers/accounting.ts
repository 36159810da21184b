/**
 * The daemon's accounting path without the UDP front: records go to the journal (acknowledged when durable),
 * and `submit` resolves once the rater has rated everything journaled so far, returning the account state
 * changes rated since the previous submit resolved (so a test can assert "blocked" on the record that caused it).
 */
import { AccountingJournal, type JournalOptions } from '../../src/billing/journal.js';
import { AccountingRater } from '../../src/billing/rater.js';
import type { AccountingRecord } from '../../src/domain/accounting.js';
import type { Logger } from '../../src/observability/logger.js';
import type { AccountStateChange } from '../../src/domain/accounting.js';
import type { Sql } from '../../src/store/sql.js';
import { accountingJournalRepository } from '../../src/store/repositories/journal.js';
import { accountingRatingRepository } from '../../src/store/repositories/rating.js';

export interface RatedResult {
  readonly accountStateChanges: AccountStateChange[];
}

export class RatedAccounting {
  readonly journal: AccountingJournal;
  readonly rater: AccountingRater;
  private changes: AccountStateChange[] = [];

  constructor(sql: Sql, options: JournalOptions & { readonly maxRecords?: number; readonly pollIntervalMs?: number }, log: Logger) {
    this.rater = new AccountingRater(accountingRatingRepository(sql), { maxRecords: options.maxRecords ?? 5000, pollIntervalMs: options.pollIntervalMs ?? 50, backlogIntervalMs: 0 }, log, (c) =>
      this.changes.push(...c),
    );
    this.journal = new AccountingJournal(accountingJournalRepository(sql), options, log, () => this.rater.kick());
    this.rater.start();
  }

  /** Journaled (or rejects like the daemon's ack would not be sent), then rated. */
  async submit(record: AccountingRecord): Promise<RatedResult> {
    await this.journal.submit(record);
    await this.rater.drain(20_000);
    return { accountStateChanges: this.changes.splice(0) };
  }

  async stop(): Promise<void> {
    await this.journal.stop();
    await this.rater.drain(20_000);
    await this.rater.stop();
  }
}
