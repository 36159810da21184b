import { describe, expect, it } from 'vitest';
import { decodeRecords, encodeRecords, JournalFormatError } from '../../../src/billing/journal-codec.js';
import type { AccountingRecord } from '../../../src/billing/record.js';

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
};

describe('journal codec', () => {
  it('round-trips every field exactly, bigints beyond 2^53 included', () => {
    const big = { ...full, input: { bytes: 2n ** 60n, gigawords: true } };
    expect(decodeRecords(encodeRecords([full, bare, big]))).toEqual([full, bare, big]);
  });

  it('refuses what it did not write, naming the field', () => {
    const [encoded] = JSON.parse(encodeRecords([full])) as unknown[][];
    const tamper = (i: number, v: unknown): string => JSON.stringify([encoded!.map((x, j) => (j === i ? v : x))]);
    expect(() => decodeRecords('not json')).toThrow(JournalFormatError);
    expect(() => decodeRecords('{}')).toThrow(/not an array/);
    expect(() => decodeRecords(tamper(0, 2))).toThrow(/format 2/);
    expect(() => decodeRecords(tamper(2, 'paused'))).toThrow(/unknown status paused/);
    expect(() => decodeRecords(tamper(9, '-1'))).toThrow(/sessionTime/);
    expect(() => decodeRecords(tamper(10, ['1', 2]))).toThrow(/input/);
    expect(() => decodeRecords(tamper(12, 1.5))).toThrow(/eventTime/);
    expect(() => decodeRecords(JSON.stringify([encoded!.slice(1)]))).toThrow(/16-field/);
  });
});
