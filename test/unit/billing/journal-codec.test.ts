import { describe, expect, it } from 'vitest';
import { decodeRecords, encodeRecords, JournalFormatError } from '../../../src/store/repositories/journal-codec.js';
import type { AccountingRecord } from '../../../src/domain/accounting.js';

const full: AccountingRecord = {
  nas: 'bras-1',
  status: 'stop',
  statusType: 2,
  acctSessionId: 'sess-ü-1',
  username: 'alice@example',
  framedIp: '100.64.0.9',
  callingStationId: 'AA-BB-CC-DD-EE-FF',
  nasPort: 'ether1',
  sessionTime: 4_294_967_301n,
  input: { bytes: 2n ** 32n * 7n + 5n, gigawords: true },
  output: { bytes: 12_345n, gigawords: false },
  eventTime: new Date('2030-03-10T12:00:00.123Z'),
  receivedAt: new Date('2030-03-10T12:00:05.000Z'),
  delayTime: 5,
  terminateCause: 'Lost-Carrier',
  answered: 'restricted',
};

const bare: AccountingRecord = {
  ...full,
  status: 'accounting-on',
  statusType: 7,
  acctSessionId: '',
  username: '',
  framedIp: null,
  callingStationId: null,
  nasPort: null,
  sessionTime: null,
  input: null,
  output: null,
  terminateCause: null,
  answered: null,
};

describe('journal codec', () => {
  it('round-trips every field exactly, bigints beyond 2^53 included', () => {
    const big = { ...full, input: { bytes: 2n ** 60n, gigawords: true } };
    const approved: AccountingRecord = { ...full, approved: { heldId: 7, sessionId: null } };
    expect(decodeRecords(encodeRecords([full, bare, big, approved]))).toEqual([full, bare, big, approved]);
  });

  it('reads format 1 rows (written before answered and approved existed)', () => {
    const [encoded] = JSON.parse(encodeRecords([full])) as unknown[][];
    const v1 = [1, ...encoded!.slice(1, 16)];
    expect(decodeRecords(JSON.stringify([v1]))).toEqual([{ ...full, answered: null }]);
  });

  it('keeps string octets exactly: NUL and invalid UTF-8 survive the journal as their text form', () => {
    const odd = { ...full, acctSessionId: 'inv-\\xffA', username: 'a\\x00b' };
    expect(decodeRecords(encodeRecords([odd]))).toEqual([odd]);
  });

  it('refuses what it did not write, naming the field', () => {
    const [encoded] = JSON.parse(encodeRecords([full])) as unknown[][];
    const tamper = (i: number, v: unknown): string => JSON.stringify([encoded!.map((x, j) => (j === i ? v : x))]);
    expect(() => decodeRecords('not json')).toThrow(JournalFormatError);
    expect(() => decodeRecords('{}')).toThrow(/not an array/);
    expect(() => decodeRecords(tamper(0, 3))).toThrow(/format 3/);
    expect(() => decodeRecords(tamper(16, 'maybe'))).toThrow(/answered/);
    expect(() => decodeRecords(tamper(17, [1]))).toThrow(/approved/);
    expect(() => decodeRecords(tamper(2, 'paused'))).toThrow(/unknown status paused/);
    expect(() => decodeRecords(tamper(9, '-1'))).toThrow(/sessionTime/);
    expect(() => decodeRecords(tamper(10, ['1', 2]))).toThrow(/input/);
    expect(() => decodeRecords(tamper(12, 1.5))).toThrow(/eventTime/);
    expect(() => decodeRecords(JSON.stringify([encoded!.slice(0, 17)]))).toThrow(/has 18 fields, not 17/);
  });
});
