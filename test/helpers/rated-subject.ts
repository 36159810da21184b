/**
 * A subscriber of its own for one test of the rating path: a tariff, an account and a subscriber on them, and the
 * NAS name its records come from, so that tests sharing one database do not meet. Records are built with `acct`
 * (the daemon's own decoder) and go through a RatedAccounting: journaled, then rated.
 */
import type { AccountingRecord } from '../../src/domain/accounting.js';
import type { Store, TariffInput } from '../../src/domain/ports.js';
import { acct, type AcctSpec } from '../unit/billing/packets.js';
import type { RatedAccounting, RatedResult } from './accounting.js';

export type SubjectSpec = Omit<AcctSpec, 'user'>;

export interface RatedSubject {
  readonly nas: string;
  readonly user: string;
  readonly accountId: number;
  readonly subscriberId: number;
  /** The record of `spec`, received at `receivedAt` seconds (default: its `at`). */
  record(spec: SubjectSpec, receivedAt?: number): AccountingRecord;
  /** Submits the records one after the other (in order), returning their results. */
  send(...specs: SubjectSpec[]): Promise<RatedResult[]>;
  /** Submits all at once (one batch when the writer is idle). */
  sendTogether(...specs: SubjectSpec[]): Promise<RatedResult[]>;
}

export async function ratedSubject(
  store: Store,
  writer: RatedAccounting,
  names: { readonly tariff: string; readonly user: string; readonly nas: string },
  tariff: Omit<TariffInput, 'name'>,
  creditLimit?: number,
): Promise<RatedSubject> {
  const t = await store.tariffs.create({ name: names.tariff, ...tariff });
  const account = await store.accounts.create(creditLimit === undefined ? {} : { creditLimit });
  const { user, nas } = names;
  const sub = await store.subscribers.create({ username: user, password: 'pw', accountId: account.id, tariffId: t.id });
  const record = (s: SubjectSpec, receivedAt?: number): AccountingRecord => acct(nas, { user, ...s }, receivedAt === undefined ? undefined : new Date(receivedAt * 1000));
  return {
    nas,
    user,
    accountId: account.id,
    subscriberId: sub.id,
    record,
    async send(...specs) {
      const out: RatedResult[] = [];
      for (const s of specs) out.push(await writer.submit(record(s)));
      return out;
    },
    sendTogether: (...specs) => Promise.all(specs.map((s) => writer.submit(record(s)))),
  };
}
