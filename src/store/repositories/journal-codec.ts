/**
 * AccountingRecord ⇄ the JSON stored in accounting_journal.body: a compact positional array per record (no key
 * names repeated thousands of times), bigints as decimal strings, times as epoch milliseconds. `decodeRecord`
 * validates every field, since a journal row outlives the process that wrote it (an older or newer version may
 * read it): a malformed entry throws JournalFormatError instead of being rated as something else.
 */
import type { AccountingRecord, AccountingStatus, AnsweredService, ApprovedHeld, OctetCounter } from '../../domain/accounting.js';

/**
 * Bumped when the positional layout changes; decodeRecord reads this and every earlier version, and refuses
 * others. Version 2 appended `answered` and `approved` (version 1 rows decode with both absent).
 */
export const JOURNAL_FORMAT = 2;

export class JournalFormatError extends Error {
  override readonly name = 'JournalFormatError';
}

type Counter = [bytes: string, gigawords: 0 | 1] | null;

/** The positional layout (version 2; version 1 is the first 16 fields). */
type Encoded = [
  format: number,
  nas: string,
  status: AccountingStatus,
  statusType: number,
  acctSessionId: string,
  username: string,
  framedIp: string | null,
  callingStationId: string | null,
  nasPort: string | null,
  sessionTime: string | null,
  input: Counter,
  output: Counter,
  eventTime: number,
  receivedAt: number,
  delayTime: number,
  terminateCause: string | null,
  answered: AnsweredService | null,
  approved: [heldId: number, sessionId: number | null] | null,
];

const STATUSES: ReadonlySet<string> = new Set<AccountingStatus>(['start', 'stop', 'interim-update', 'accounting-on', 'accounting-off', 'other']);

const counterOf = (c: OctetCounter | null): Counter => (c === null ? null : [String(c.bytes), c.gigawords ? 1 : 0]);

export function encodeRecord(r: AccountingRecord): Encoded {
  return [
    JOURNAL_FORMAT,
    r.nas,
    r.status,
    r.statusType,
    r.acctSessionId,
    r.username,
    r.framedIp,
    r.callingStationId,
    r.nasPort,
    r.sessionTime === null ? null : String(r.sessionTime),
    counterOf(r.input),
    counterOf(r.output),
    r.eventTime.getTime(),
    r.receivedAt.getTime(),
    r.delayTime,
    r.terminateCause,
    r.answered,
    r.approved === undefined ? null : [r.approved.heldId, r.approved.sessionId],
  ];
}

/** One journal row's body: the JSON array of its records. */
export function encodeRecords(records: readonly AccountingRecord[]): string {
  return JSON.stringify(records.map(encodeRecord));
}

function fail(what: string): never {
  throw new JournalFormatError(`journal record: ${what}`);
}

const str = (v: unknown, what: string): string => (typeof v === 'string' ? v : fail(`${what} is not a string`));
const optStr = (v: unknown, what: string): string | null => (v === null ? null : str(v, what));
const int = (v: unknown, what: string): number => (typeof v === 'number' && Number.isSafeInteger(v) ? v : fail(`${what} is not an integer`));
const big = (v: unknown, what: string): bigint => (typeof v === 'string' && /^[0-9]{1,20}$/.test(v) ? BigInt(v) : fail(`${what} is not a counter`));

function counter(v: unknown, what: string): OctetCounter | null {
  if (v === null) return null;
  if (!Array.isArray(v) || v.length !== 2 || (v[1] !== 0 && v[1] !== 1)) fail(`${what} is not a counter pair`);
  return { bytes: big(v[0], what), gigawords: v[1] === 1 };
}

function answered(v: unknown): AnsweredService | null {
  if (v === null || v === undefined) return null;
  if (v === 'restricted' || v === 'normal') return v;
  return fail('answered is not restricted, normal or null');
}

function approved(v: unknown): ApprovedHeld | undefined {
  if (v === null || v === undefined) return undefined;
  if (!Array.isArray(v) || v.length !== 2) return fail('approved is not a [heldId, sessionId] pair');
  return { heldId: int(v[0], 'approved.heldId'), sessionId: v[1] === null ? null : int(v[1], 'approved.sessionId') };
}

const FIELDS: Readonly<Record<number, number>> = { 1: 16, 2: 18 };

export function decodeRecord(v: unknown): AccountingRecord {
  if (!Array.isArray(v)) fail('not an array');
  const fields = FIELDS[v[0] as number];
  if (fields === undefined) fail(`format ${String(v[0])} is not one of ${Object.keys(FIELDS).join(', ')}`);
  if (v.length !== fields) fail(`format ${String(v[0])} has ${fields} fields, not ${v.length}`);
  const status = str(v[2], 'status');
  if (!STATUSES.has(status)) fail(`unknown status ${status}`);
  const approval = approved(v[17]);
  return {
    nas: str(v[1], 'nas'),
    status: status as AccountingStatus,
    statusType: int(v[3], 'statusType'),
    acctSessionId: str(v[4], 'acctSessionId'),
    username: str(v[5], 'username'),
    framedIp: optStr(v[6], 'framedIp'),
    callingStationId: optStr(v[7], 'callingStationId'),
    nasPort: optStr(v[8], 'nasPort'),
    sessionTime: v[9] === null ? null : big(v[9], 'sessionTime'),
    input: counter(v[10], 'input'),
    output: counter(v[11], 'output'),
    eventTime: new Date(int(v[12], 'eventTime')),
    receivedAt: new Date(int(v[13], 'receivedAt')),
    delayTime: int(v[14], 'delayTime'),
    terminateCause: optStr(v[15], 'terminateCause'),
    answered: answered(v[16]),
    ...(approval === undefined ? {} : { approved: approval }),
  };
}

export function decodeRecords(body: string): AccountingRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw new JournalFormatError('journal body is not JSON', { cause: err });
  }
  if (!Array.isArray(parsed)) fail('body is not an array');
  return parsed.map(decodeRecord);
}
