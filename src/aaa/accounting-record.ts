/**
 * Accounting-Request → AccountingRecord, read straight from the raw attributes (no dictionary: this is the
 * per-packet fast path). Octet counters are combined with their Gigawords into exact bigints; the event time is
 * Event-Timestamp when present, else the receive time minus Acct-Delay-Time (RFC 2866 §5.2).
 */
import { Attr } from '../radius/codes.js';
import { octetsToText } from '../radius/octets.js';
import { findAttribute, type RawPacket } from '../radius/packet.js';
import { CLASS_NORMAL, CLASS_RESTRICTED, type AccountingRecord, type AccountingStatus, type AnsweredService, type OctetCounter } from '../domain/accounting.js';

/** Acct-Terminate-Cause (RFC 2866 §5.10, RFC 3580 §2.4); not in the core Attr table. */
const ACCT_TERMINATE_CAUSE = 49;
const NAS_PORT_ID = 87;


const STATUS: Readonly<Record<number, AccountingStatus>> = {
  1: 'start',
  2: 'stop',
  3: 'interim-update',
  7: 'accounting-on',
  8: 'accounting-off',
};

const TERMINATE_CAUSES: readonly string[] = [
  '',
  'User-Request',
  'Lost-Carrier',
  'Lost-Service',
  'Idle-Timeout',
  'Session-Timeout',
  'Admin-Reset',
  'Admin-Reboot',
  'Port-Error',
  'NAS-Error',
  'NAS-Request',
  'NAS-Reboot',
  'Port-Unneeded',
  'Port-Preempted',
  'Port-Suspended',
  'Service-Unavailable',
  'Callback',
  'User-Error',
  'Host-Request',
  'Supplicant-Restart',
  'Reauthentication-Failure',
  'Port-Reinitialized',
  'Port-Administratively-Disabled',
];


const TWO_32 = 1n << 32n;

function uint32(packet: RawPacket, type: number, name: string): number | undefined | { error: string } {
  const a = findAttribute(packet, type);
  if (a === undefined) return undefined;
  if (a.value.length !== 4) return { error: `${name} has ${a.value.length} octets, expected 4` };
  return a.value.readUInt32BE(0);
}

/** A string attribute in its exact text form (RADIUS strings are octets: src/radius/octets.ts). */
function text(packet: RawPacket, type: number): string | null {
  const a = findAttribute(packet, type);
  return a === undefined ? null : octetsToText(a.value);
}

const CLASS_RESTRICTED_OCTETS = Buffer.from(CLASS_RESTRICTED);
const CLASS_NORMAL_OCTETS = Buffer.from(CLASS_NORMAL);

/** The service our Class says the session was answered with (the first of ours wins). */
function answeredOf(packet: RawPacket): AnsweredService | null {
  for (const a of packet.attributes) {
    if (a.type !== Attr.Class) continue;
    if (a.value.equals(CLASS_RESTRICTED_OCTETS)) return 'restricted';
    if (a.value.equals(CLASS_NORMAL_OCTETS)) return 'normal';
  }
  return null;
}

function isError(v: unknown): v is { error: string } {
  return typeof v === 'object' && v !== null && 'error' in v;
}

/**
 * @example
 * const r = accountingRecordOf(packet, client, new Date());
 * if ('error' in r) drop(r.error); else await writer.submit(r);
 */
export function accountingRecordOf(packet: RawPacket, nas: { name: string }, receivedAt: Date): AccountingRecord | { error: string } {
  const ints: Record<string, number | undefined> = {};
  const wanted: readonly [string, number][] = [
    ['Acct-Status-Type', Attr.AcctStatusType],
    ['Acct-Delay-Time', Attr.AcctDelayTime],
    ['Acct-Input-Octets', Attr.AcctInputOctets],
    ['Acct-Output-Octets', Attr.AcctOutputOctets],
    ['Acct-Input-Gigawords', Attr.AcctInputGigawords],
    ['Acct-Output-Gigawords', Attr.AcctOutputGigawords],
    ['Acct-Session-Time', Attr.AcctSessionTime],
    ['Event-Timestamp', Attr.EventTimestamp],
    ['Acct-Terminate-Cause', ACCT_TERMINATE_CAUSE],
    ['NAS-Port', Attr.NASPort],
  ];
  for (const [name, type] of wanted) {
    const v = uint32(packet, type, name);
    if (isError(v)) return v;
    ints[name] = v;
  }
  const statusType = ints['Acct-Status-Type'];
  if (statusType === undefined) return { error: 'Acct-Status-Type missing' };
  const status = STATUS[statusType] ?? 'other';

  const acctSessionId = text(packet, Attr.AcctSessionId);
  const perSession = status === 'start' || status === 'stop' || status === 'interim-update';
  if (perSession && (acctSessionId === null || acctSessionId === '')) return { error: 'Acct-Session-Id missing' };

  let framedIp: string | null = null;
  const ip = findAttribute(packet, Attr.FramedIPAddress);
  if (ip !== undefined) {
    if (ip.value.length !== 4) return { error: `Framed-IP-Address has ${ip.value.length} octets, expected 4` };
    framedIp = `${ip.value[0]}.${ip.value[1]}.${ip.value[2]}.${ip.value[3]}`;
  }

  const counter = (octets: number | undefined, giga: number | undefined): OctetCounter | null =>
    octets === undefined && giga === undefined
      ? null
      : { bytes: BigInt(giga ?? 0) * TWO_32 + BigInt(octets ?? 0), gigawords: giga !== undefined };

  const delayTime = ints['Acct-Delay-Time'] ?? 0;
  const eventTs = ints['Event-Timestamp'];
  const eventTime = eventTs !== undefined ? new Date(eventTs * 1000) : new Date(receivedAt.getTime() - delayTime * 1000);
  const cause = ints['Acct-Terminate-Cause'];
  const nasPortId = text(packet, NAS_PORT_ID);
  const nasPort = ints['NAS-Port'];
  const sessionTime = ints['Acct-Session-Time'];

  return {
    nas: nas.name,
    status,
    statusType,
    acctSessionId: acctSessionId ?? '',
    username: text(packet, Attr.UserName) ?? '',
    framedIp,
    callingStationId: text(packet, Attr.CallingStationId),
    nasPort: nasPortId ?? (nasPort === undefined ? null : String(nasPort)),
    sessionTime: sessionTime === undefined ? null : BigInt(sessionTime),
    input: counter(ints['Acct-Input-Octets'], ints['Acct-Input-Gigawords']),
    output: counter(ints['Acct-Output-Octets'], ints['Acct-Output-Gigawords']),
    eventTime,
    receivedAt,
    delayTime,
    terminateCause: cause === undefined ? null : TERMINATE_CAUSES[cause] || String(cause),
    answered: answeredOf(packet),
  };
}
