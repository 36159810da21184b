import { describe, expect, it } from 'vitest';
import {
  acctUniqueId,
  addLoadedSession,
  addUsageMonths,
  applyRecord,
  batchAccountIds,
  batchCharges,
  batchNeeds,
  batchUsernames,
  batchWrites,
  DEFAULT_RATING_RULES,
  emptyBatch,
  heldCounts,
  usageMonthsOf,
  type Batch,
  type Session,
} from '../../../src/billing/core/session-rules.js';
import type { AccountingRecord } from '../../../src/domain/accounting.js';
import { acct, STATUS } from './packets.js';

const T0 = Math.floor(Date.UTC(2030, 2, 31, 23, 59, 0) / 1000); // a minute before April (UTC)
const GB = 1_000_000_000;
const rules = DEFAULT_RATING_RULES;

/** A session row as the store would load it: open, counters zero, started at `at`. */
function loaded(id: number, nas: string, sid: string, username: string, at: Date, accountId: number | null): Session {
  return {
    id,
    key: acctUniqueId(nas, sid),
    archived: false,
    nas,
    acctSessionId: sid,
    epoch: 0,
    username,
    subscriberId: accountId === null ? null : accountId * 10,
    accountId,
    framedIp: null,
    callingStationId: null,
    nasPort: null,
    startedAt: at,
    updatedAt: at,
    stoppedAt: null,
    terminateCause: null,
    final: false,
    firstSeenAt: at,
    lastSeenAt: at,
    firstSessionTime: 0n,
    input: 0n,
    output: 0n,
    sessionTime: 0n,
    ratedOctets: 0n,
    ratedSeconds: 0n,
    chargedTraffic: 0n,
    chargedTime: 0n,
    lastStatus: 'start',
    answered: null,
    dirty: false,
    traffic: 0n,
    time: 0n,
    chargeAccountId: null,
  };
}

function subscriber(b: Batch, username: string, accountId: number): void {
  b.subscribers.set(username, { id: accountId * 10, accountId, pricePerGB: 1000n, includedBytes: 0n, pricePerMinute: 6n });
}

describe('the batch around the rules', () => {
  it('names the rows a batch needs: current keys, approved sessions, every NAS', () => {
    const approved: AccountingRecord = { ...acct('bras-2', { status: STATUS.interim, sid: 'X', user: 'carol', at: T0 }), approved: { heldId: 9, sessionId: 77 } };
    const records = [
      acct('bras-1', { status: STATUS.start, sid: 'A', user: 'alice', at: T0 }),
      acct('bras-1', { status: STATUS.interim, sid: 'A', user: 'alice', at: T0 + 30 }),
      acct('bras-3', { status: STATUS.on }),
      approved,
    ];
    const needs = batchNeeds(records);
    expect(needs.sessionRecords).toHaveLength(3);
    expect(needs.keys).toEqual([acctUniqueId('bras-1', 'A')]);
    expect(needs.approvedIds).toEqual([77]);
    expect(needs.nasNames).toEqual(['bras-1', 'bras-3', 'bras-2']);
  });

  it('loads the logins of records and of their sessions, and the usage month of each record', () => {
    const b = emptyBatch();
    const at = new Date(T0 * 1000);
    // The session started as alice; a record of it now says bob (a User-Name change mid-session).
    addLoadedSession(b, loaded(5, 'bras-1', 'A', 'alice', at, 1));
    const records = [
      acct('bras-1', { status: STATUS.interim, sid: 'A', user: 'bob', at: T0 + 30 }),
      acct('bras-1', { status: STATUS.interim, sid: 'A', user: 'bob', at: T0 + 90 }), // April
    ];
    const needs = batchNeeds(records);
    expect(batchUsernames(b, needs)).toEqual(['bob', 'alice']);
    subscriber(b, 'alice', 2);
    subscriber(b, 'bob', 1);
    expect(batchAccountIds(b)).toEqual([1, 2]);
    const months = usageMonthsOf(b, needs, rules).map((u) => `${u.subscriberId}/${u.month}`);
    expect(months.sort()).toEqual(['10/2030-03-01', '10/2030-04-01', '20/2030-03-01', '20/2030-04-01']);
  });

  it('collects the writes of an applied batch: updated and new sessions, usage, charges per account, holds', () => {
    const b = emptyBatch();
    const at = new Date(T0 * 1000);
    addLoadedSession(b, loaded(5, 'bras-1', 'A', 'alice', at, 1));
    subscriber(b, 'alice', 1);
    subscriber(b, 'bob', 2);
    const records = [
      acct('bras-1', { status: STATUS.interim, sid: 'A', user: 'alice', at: T0 + 20, in: GB, out: 0, time: 20 }),
      acct('bras-1', { status: STATUS.start, sid: 'B', user: 'bob', at: T0 }),
      acct('bras-1', { status: STATUS.interim, sid: 'B', user: 'bob', at: T0 + 10, in: 2 * GB, out: 0, time: 10 }),
    ];
    const needs = batchNeeds(records);
    addUsageMonths(b, usageMonthsOf(b, needs, rules), [{ subscriberId: 10, month: '2030-03-01', octets: 5n, seconds: 1n, charged: 0n }]);
    expect(b.usage.get('10/2030-03-01')).toMatchObject({ octets: 5n, seconds: 1n, dirty: false });
    expect(b.usage.get('20/2030-03-01')).toMatchObject({ octets: 0n, dirty: false });
    for (const r of records) applyRecord(b, r, rules);

    const writes = batchWrites(b);
    expect(writes.existing.map((s) => s.id)).toEqual([5]);
    expect(writes.fresh.map((s) => s.acctSessionId)).toEqual(['B']);
    expect(writes.archiving).toBe(false);
    expect(writes.usage.map((u) => u.subscriberId).sort()).toEqual([10, 20]);

    // Charges need the ids the store gives new sessions.
    (writes.fresh[0] as Session).id = 6;
    const { charges, byAccount } = batchCharges(b);
    expect(charges).toEqual([
      { accountId: 1, kind: 'traffic', amount: 1000n, sessionId: 5 },
      { accountId: 1, kind: 'time', amount: 2n, sessionId: 5 },
      { accountId: 2, kind: 'traffic', amount: 2000n, sessionId: 6 },
      { accountId: 2, kind: 'time', amount: 1n, sessionId: 6 },
    ]);
    expect([...byAccount]).toEqual([
      [1, 1002n],
      [2, 2001n],
    ]);
    expect(heldCounts(b)).toEqual({ octet_rate: 0, session_time: 0 });
  });

  it('counts holds by reason', () => {
    const b = emptyBatch();
    subscriber(b, 'alice', 1);
    const records = [
      acct('bras-1', { status: STATUS.start, sid: 'A', user: 'alice', at: T0 }),
      // 10,000 × 2^32 octets in 10 s (+ the clock tolerance): beyond the 100 Gbit/s limit.
      acct('bras-1', { status: STATUS.interim, sid: 'A', user: 'alice', at: T0 + 10, in: 0, inGw: 10_000, out: 0, time: 10 }),
    ];
    addUsageMonths(b, usageMonthsOf(b, batchNeeds(records), rules), []);
    for (const r of records) applyRecord(b, r, rules);
    expect(heldCounts(b)).toEqual({ octet_rate: 1, session_time: 0 });
    expect(batchCharges(b).charges).toEqual([]);
  });
});
