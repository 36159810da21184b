/** Accounting-Request packets (attribute lists only) for billing tests. */
import { accountingRecordOf } from '../../../src/aaa/accounting-record.js';
import { type AccountingRecord } from '../../../src/domain/accounting.js';
import { Attr } from '../../../src/radius/codes.js';
import type { RawAttribute, RawPacket } from '../../../src/radius/packet.js';

export const STATUS = { start: 1, stop: 2, interim: 3, on: 7, off: 8 } as const;

export interface AcctSpec {
  readonly status: number;
  readonly sid?: string;
  readonly user?: string;
  /** Event-Timestamp, seconds since the epoch (omit to derive from receivedAt − delay). */
  readonly at?: number;
  readonly delay?: number;
  /** Low 32 bits of Acct-Input-Octets. */
  readonly in?: number;
  readonly inGw?: number;
  readonly out?: number;
  readonly outGw?: number;
  readonly time?: number;
  readonly cause?: number;
  readonly ip?: string;
  readonly port?: number;
  readonly mac?: string;
}

const u32 = (type: number, v: number): RawAttribute => {
  const value = Buffer.alloc(4);
  value.writeUInt32BE(v, 0);
  return { type, value };
};
const str = (type: number, v: string): RawAttribute => ({ type, value: Buffer.from(v, 'utf8') });

export function acctPacket(s: AcctSpec): RawPacket {
  const a: RawAttribute[] = [u32(Attr.AcctStatusType, s.status)];
  if (s.sid !== undefined) a.push(str(Attr.AcctSessionId, s.sid));
  if (s.user !== undefined) a.push(str(Attr.UserName, s.user));
  if (s.at !== undefined) a.push(u32(Attr.EventTimestamp, s.at));
  if (s.delay !== undefined) a.push(u32(Attr.AcctDelayTime, s.delay));
  if (s.in !== undefined) a.push(u32(Attr.AcctInputOctets, s.in));
  if (s.inGw !== undefined) a.push(u32(Attr.AcctInputGigawords, s.inGw));
  if (s.out !== undefined) a.push(u32(Attr.AcctOutputOctets, s.out));
  if (s.outGw !== undefined) a.push(u32(Attr.AcctOutputGigawords, s.outGw));
  if (s.time !== undefined) a.push(u32(Attr.AcctSessionTime, s.time));
  if (s.cause !== undefined) a.push(u32(49, s.cause));
  if (s.port !== undefined) a.push(u32(Attr.NASPort, s.port));
  if (s.mac !== undefined) a.push(str(Attr.CallingStationId, s.mac));
  if (s.ip !== undefined) a.push({ type: Attr.FramedIPAddress, value: Buffer.from(s.ip.split('.').map(Number)) });
  return { code: 4, identifier: 0, authenticator: Buffer.alloc(16), attributes: a, raw: Buffer.alloc(0), messageAuthenticatorOffset: -1 };
}

/** The record of `spec` from `nas`, received at `receivedAt` (default: the event time, or 2030-03-10). */
export function acct(nas: string, spec: AcctSpec, receivedAt?: Date): AccountingRecord {
  const at = receivedAt ?? new Date((spec.at ?? 1_899_331_200) * 1000);
  const r = accountingRecordOf(acctPacket(spec), { name: nas }, at);
  if ('error' in r) throw new Error(r.error);
  return r;
}
