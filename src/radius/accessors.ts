/**
 * Typed accessors for the attributes the core reads per packet (access, accounting, CoA replies, the transport's
 * checks): each reads the raw packet once, with no dictionary, and returns the value in the form its consumers
 * keep — strings in their exact text form (octets.ts), addresses as dotted quads, integers as numbers, opaque
 * values as views into the packet.
 *
 * A value of the wrong size for its type (a 3-octet Acct-Status-Type) throws RadiusError RADIUS_BAD_VALUE naming
 * the attribute, so a consumer either refuses the packet (accounting) or reads the attribute as absent (the
 * access path's auth-log NAS-Port).
 *
 * `ACCESSOR_SPECS` says, for every accessor, which attribute (vendor, number) and data type it reads; a unit test
 * holds it against the shipped dictionary and against what each accessor actually reads, so a number typed here
 * by hand cannot drift from the dictionary.
 *
 * @example
 * const user = userName(packet);                  // 'alice', or undefined when absent
 * const status = acctStatusType(packet);          // 3 (Interim-Update), or undefined; throws on a bad length
 */
import { Attr as Attributes } from './codes.js';
import type { DataType } from './dictionary.js';
import { RadiusError } from './errors.js';
import * as octets from './octets.js';
import * as packets from './packet.js';
import * as primitives from './primitives.js';
import type { RawPacket } from './packet.js';
import * as vsa from './vsa.js';

// Module-local copies of imported bindings: called per attribute on the hot path, and a bundler's or test runner's
// import binding can cost a getter call per use.
const Attr = Attributes;
const { attributeValue, attributeValues } = packets;
const { octetsToText } = octets;
const { formatIPv4 } = primitives;
const { findVendorAttribute } = vsa;
const MS = vsa.Vendor.Microsoft;
const MsAttr = vsa.MsAttr;

export interface AccessorSpec {
  /** The dictionary name of the attribute. */
  readonly name: string;
  /** 0 for the standard space, else the Vendor-Id of a Vendor-Specific sub-attribute. */
  readonly vendorId: number;
  readonly type: number;
  readonly dataType: DataType;
}

const spec = (name: string, type: number, dataType: DataType, vendorId = 0): AccessorSpec => ({ name, vendorId, type, dataType });

/** What each accessor below reads, by the accessor's name. */
export const ACCESSOR_SPECS = {
  userName: spec('User-Name', Attr.UserName, 'string'),
  userPassword: spec('User-Password', Attr.UserPassword, 'string'),
  chapPassword: spec('CHAP-Password', Attr.CHAPPassword, 'octets'),
  chapChallenge: spec('CHAP-Challenge', Attr.CHAPChallenge, 'octets'),
  nasIpAddress: spec('NAS-IP-Address', Attr.NASIPAddress, 'ipaddr'),
  nasPort: spec('NAS-Port', Attr.NASPort, 'integer'),
  nasPortId: spec('NAS-Port-Id', Attr.NASPortId, 'string'),
  nasIdentifier: spec('NAS-Identifier', Attr.NASIdentifier, 'string'),
  framedIpAddress: spec('Framed-IP-Address', Attr.FramedIPAddress, 'ipaddr'),
  calledStationId: spec('Called-Station-Id', Attr.CalledStationId, 'string'),
  callingStationId: spec('Calling-Station-Id', Attr.CallingStationId, 'string'),
  classes: spec('Class', Attr.Class, 'octets'),
  acctStatusType: spec('Acct-Status-Type', Attr.AcctStatusType, 'integer'),
  acctDelayTime: spec('Acct-Delay-Time', Attr.AcctDelayTime, 'integer'),
  acctInputOctets: spec('Acct-Input-Octets', Attr.AcctInputOctets, 'integer'),
  acctOutputOctets: spec('Acct-Output-Octets', Attr.AcctOutputOctets, 'integer'),
  acctInputGigawords: spec('Acct-Input-Gigawords', Attr.AcctInputGigawords, 'integer'),
  acctOutputGigawords: spec('Acct-Output-Gigawords', Attr.AcctOutputGigawords, 'integer'),
  acctSessionId: spec('Acct-Session-Id', Attr.AcctSessionId, 'string'),
  acctSessionTime: spec('Acct-Session-Time', Attr.AcctSessionTime, 'integer'),
  acctTerminateCause: spec('Acct-Terminate-Cause', Attr.AcctTerminateCause, 'integer'),
  eventTimestamp: spec('Event-Timestamp', Attr.EventTimestamp, 'date'),
  eapMessage: spec('EAP-Message', Attr.EAPMessage, 'octets'),
  errorCause: spec('Error-Cause', Attr.ErrorCause, 'integer'),
  msChapChallenge: spec('MS-CHAP-Challenge', MsAttr.CHAPChallenge, 'octets', MS),
  msChap2Response: spec('MS-CHAP2-Response', MsAttr.CHAP2Response, 'octets', MS),
} as const satisfies Record<string, AccessorSpec>;

function wrongSize(name: string, length: number, expected: number): RadiusError {
  return new RadiusError('RADIUS_BAD_VALUE', `${name} has ${length} octets, expected ${expected}`);
}

function text(packet: RawPacket, type: number): string | undefined {
  const v = attributeValue(packet, type);
  return v === undefined ? undefined : octetsToText(v);
}

function uint32(packet: RawPacket, type: number, name: string): number | undefined {
  const v = attributeValue(packet, type);
  if (v === undefined) return undefined;
  if (v.length !== 4) throw wrongSize(name, v.length, 4);
  return v.readUInt32BE(0);
}

function ipv4(packet: RawPacket, type: number, name: string): string | undefined {
  const v = attributeValue(packet, type);
  if (v === undefined) return undefined;
  if (v.length !== 4) throw wrongSize(name, v.length, 4);
  return formatIPv4(v, 0);
}

// --- strings, in their exact text form -------------------------------------------------------------------------

export function userName(packet: RawPacket): string | undefined {
  return text(packet, Attr.UserName);
}
export function nasPortId(packet: RawPacket): string | undefined {
  return text(packet, Attr.NASPortId);
}
export function nasIdentifier(packet: RawPacket): string | undefined {
  return text(packet, Attr.NASIdentifier);
}
export function calledStationId(packet: RawPacket): string | undefined {
  return text(packet, Attr.CalledStationId);
}
export function callingStationId(packet: RawPacket): string | undefined {
  return text(packet, Attr.CallingStationId);
}
export function acctSessionId(packet: RawPacket): string | undefined {
  return text(packet, Attr.AcctSessionId);
}

// --- octets: views into the packet ------------------------------------------------------------------------------

/** The hidden User-Password as on the wire (unhide it with crypto.unhidePassword). */
export function userPassword(packet: RawPacket): Buffer | undefined {
  return attributeValue(packet, Attr.UserPassword);
}
export function chapPassword(packet: RawPacket): Buffer | undefined {
  return attributeValue(packet, Attr.CHAPPassword);
}
export function chapChallenge(packet: RawPacket): Buffer | undefined {
  return attributeValue(packet, Attr.CHAPChallenge);
}
/** The first EAP-Message fragment (the core only asks whether there is one). */
export function eapMessage(packet: RawPacket): Buffer | undefined {
  return attributeValue(packet, Attr.EAPMessage);
}
/** Every Class, in wire order (a NAS echoes each Class it was given, RFC 2865 §5.25). */
export function classes(packet: RawPacket): Buffer[] {
  return attributeValues(packet, Attr.Class);
}
export function msChapChallenge(packet: RawPacket): Buffer | undefined {
  return findVendorAttribute(packet, MS, MsAttr.CHAPChallenge);
}
export function msChap2Response(packet: RawPacket): Buffer | undefined {
  return findVendorAttribute(packet, MS, MsAttr.CHAP2Response);
}

// --- addresses ----------------------------------------------------------------------------------------------------

export function nasIpAddress(packet: RawPacket): string | undefined {
  return ipv4(packet, Attr.NASIPAddress, 'NAS-IP-Address');
}
export function framedIpAddress(packet: RawPacket): string | undefined {
  return ipv4(packet, Attr.FramedIPAddress, 'Framed-IP-Address');
}

// --- integers -------------------------------------------------------------------------------------------------------

export function nasPort(packet: RawPacket): number | undefined {
  return uint32(packet, Attr.NASPort, 'NAS-Port');
}
export function acctStatusType(packet: RawPacket): number | undefined {
  return uint32(packet, Attr.AcctStatusType, 'Acct-Status-Type');
}
export function acctDelayTime(packet: RawPacket): number | undefined {
  return uint32(packet, Attr.AcctDelayTime, 'Acct-Delay-Time');
}
export function acctInputOctets(packet: RawPacket): number | undefined {
  return uint32(packet, Attr.AcctInputOctets, 'Acct-Input-Octets');
}
export function acctOutputOctets(packet: RawPacket): number | undefined {
  return uint32(packet, Attr.AcctOutputOctets, 'Acct-Output-Octets');
}
export function acctInputGigawords(packet: RawPacket): number | undefined {
  return uint32(packet, Attr.AcctInputGigawords, 'Acct-Input-Gigawords');
}
export function acctOutputGigawords(packet: RawPacket): number | undefined {
  return uint32(packet, Attr.AcctOutputGigawords, 'Acct-Output-Gigawords');
}
export function acctSessionTime(packet: RawPacket): number | undefined {
  return uint32(packet, Attr.AcctSessionTime, 'Acct-Session-Time');
}
export function acctTerminateCause(packet: RawPacket): number | undefined {
  return uint32(packet, Attr.AcctTerminateCause, 'Acct-Terminate-Cause');
}
/** Seconds since the Unix epoch (RFC 2869 §5.3). */
export function eventTimestamp(packet: RawPacket): number | undefined {
  return uint32(packet, Attr.EventTimestamp, 'Event-Timestamp');
}
export function errorCause(packet: RawPacket): number | undefined {
  return uint32(packet, Attr.ErrorCause, 'Error-Cause');
}
