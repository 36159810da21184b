/**
 * Accounting-Request → AccountingRecord, read straight from the raw attributes (no dictionary: this is the
 * per-packet fast path). Octet counters are combined with their Gigawords into exact bigints; the event time is
 * Event-Timestamp when present, else the receive time minus Acct-Delay-Time (RFC 2866 §5.2).
 */
import * as read from '../radius/accessors.js';
import { RadiusError } from '../radius/errors.js';
import type { RawPacket } from '../radius/packet.js';
import { CLASS_NORMAL, CLASS_RESTRICTED, type AccountingRecord, type AccountingStatus, type AnsweredService, type OctetCounter } from '../domain/accounting.js';

// Module-local copies of the accessors: called per attribute per packet, and a bundler's or test runner's import
// binding can cost a getter call per use.
const {
  acctDelayTime,
  acctInputGigawords,
  acctInputOctets,
  acctOutputGigawords,
  acctOutputOctets,
  acctSessionId,
  acctSessionTime,
  acctStatusType,
  acctTerminateCause,
  callingStationId,
  classes,
  eventTimestamp,
  framedIpAddress,
  nasPort,
  nasPortId,
  userName,
} = read;

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

const CLASS_RESTRICTED_OCTETS = Buffer.from(CLASS_RESTRICTED);
const CLASS_NORMAL_OCTETS = Buffer.from(CLASS_NORMAL);

/** The service our Class says the session was answered with (the first of ours wins). */
function answeredOf(packet: RawPacket): AnsweredService | null {
  for (const c of classes(packet)) {
    if (c.equals(CLASS_RESTRICTED_OCTETS)) return 'restricted';
    if (c.equals(CLASS_NORMAL_OCTETS)) return 'normal';
  }
  return null;
}

/**
 * @example
 * const r = accountingRecordOf(packet, client, new Date());
 * if ('error' in r) drop(r.error); else await writer.submit(r);
 */
export function accountingRecordOf(packet: RawPacket, nas: { name: string }, receivedAt: Date): AccountingRecord | { error: string } {
  try {
    return recordOf(packet, nas, receivedAt);
  } catch (err) {
    // An attribute of the wrong size for its type (the accessors throw RADIUS_BAD_VALUE naming it).
    if (err instanceof RadiusError) return { error: err.message };
    throw err;
  }
}

function recordOf(packet: RawPacket, nas: { name: string }, receivedAt: Date): AccountingRecord | { error: string } {
  // Integers first, in this order, so the first malformed one is the one reported.
  const statusType = acctStatusType(packet);
  const delay = acctDelayTime(packet);
  const inOctets = acctInputOctets(packet);
  const outOctets = acctOutputOctets(packet);
  const inGiga = acctInputGigawords(packet);
  const outGiga = acctOutputGigawords(packet);
  const sessionTime = acctSessionTime(packet);
  const eventTs = eventTimestamp(packet);
  const cause = acctTerminateCause(packet);
  const port = nasPort(packet);
  if (statusType === undefined) return { error: 'Acct-Status-Type missing' };
  const status = STATUS[statusType] ?? 'other';

  const sessionId = acctSessionId(packet);
  const perSession = status === 'start' || status === 'stop' || status === 'interim-update';
  if (perSession && (sessionId === undefined || sessionId === '')) return { error: 'Acct-Session-Id missing' };

  const framedIp = framedIpAddress(packet) ?? null;

  const delayTime = delay ?? 0;
  const eventTime = eventTs !== undefined ? new Date(eventTs * 1000) : new Date(receivedAt.getTime() - delayTime * 1000);
  const portId = nasPortId(packet);

  return {
    nas: nas.name,
    status,
    statusType,
    acctSessionId: sessionId ?? '',
    username: userName(packet) ?? '',
    framedIp,
    callingStationId: callingStationId(packet) ?? null,
    nasPort: portId ?? (port === undefined ? null : String(port)),
    sessionTime: sessionTime === undefined ? null : BigInt(sessionTime),
    input: counter(inOctets, inGiga),
    output: counter(outOctets, outGiga),
    eventTime,
    receivedAt,
    delayTime,
    terminateCause: cause === undefined ? null : TERMINATE_CAUSES[cause] || String(cause),
    answered: answeredOf(packet),
  };
}

/** Octets combined with their Gigawords into an exact count; null when the packet carries neither. */
function counter(octets: number | undefined, giga: number | undefined): OctetCounter | null {
  return octets === undefined && giga === undefined ? null : { bytes: BigInt(giga ?? 0) * TWO_32 + BigInt(octets ?? 0), gigawords: giga !== undefined };
}
