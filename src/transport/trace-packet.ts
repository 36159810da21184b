/**
 * A traced packet as text: its header and its attributes decoded by the dictionary (names, vendor names, VALUE
 * names), with every secret hidden — User-Password, CHAP-Password, the MS-CHAP responses and encrypted
 * passwords, the MPPE keys, Tunnel-Password, EAP-Message, Message-Authenticator and whatever the dictionary marks
 * encrypted or secret are shown as `[hidden N bytes]`. Hidden attributes are decoded without the shared secret, so
 * their values are never even unhidden here. Only called for packets a live trace matched (trace-tap.ts).
 */
import type { TraceAttribute } from '../domain/trace.js';
import type { Attribute } from '../radius/attributes.js';
import { codeName } from '../radius/codes.js';
import { decodeAttributes } from '../radius/decode.js';
import type { Dictionary } from '../radius/dictionary.js';
import { parsePacket, type RawPacket } from '../radius/packet.js';

/** Attributes whose values are credentials or keys whatever the dictionary says (compared case-insensitively). */
export const HIDDEN_ATTRIBUTES: ReadonlySet<string> = new Set(
  [
    'User-Password',
    'CHAP-Password',
    'Message-Authenticator',
    'EAP-Message',
    'Tunnel-Password',
    'MS-CHAP-Response',
    'MS-CHAP2-Response',
    'MS-CHAP-MPPE-Keys',
    'MS-MPPE-Send-Key',
    'MS-MPPE-Recv-Key',
    'MS-CHAP-NT-Enc-PW',
    'MS-CHAP-LM-Enc-PW',
    'MS-CHAP2-CPW',
    'MS-CHAP-CPW-1',
    'MS-CHAP-CPW-2',
  ].map((n) => n.toLowerCase()),
);

export interface DescribedPacket {
  readonly code: string;
  readonly identifier: number;
  readonly length: number;
  readonly attributes: readonly TraceAttribute[];
}

/** `address:port`, with IPv6 addresses in brackets. */
export function endpointText(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function byteLength(value: Attribute['value']): number {
  if (Buffer.isBuffer(value)) return value.length;
  if (typeof value === 'string') return Buffer.byteLength(value);
  return typeof value === 'bigint' ? 8 : 4;
}

/** One decoded attribute as text, hidden when it is a secret. */
export function describeAttribute(dict: Dictionary, attr: Attribute): TraceAttribute {
  const def = dict.resolveName(attr.name);
  const name = attr.tag !== undefined && attr.tag !== 0 ? `${attr.name}:${attr.tag}` : attr.name;
  const vendorName = def !== undefined && def.vendorId !== 0 ? dict.vendor(def.vendorId)?.name : undefined;
  const vendor = vendorName === undefined ? {} : { vendor: vendorName };
  const v = attr.value;
  if ((def !== undefined && (def.encrypt !== 0 || def.secret)) || HIDDEN_ATTRIBUTES.has(attr.name.toLowerCase())) {
    return { name, ...vendor, value: `[hidden ${byteLength(v)} bytes]` };
  }
  let value: string;
  if (Buffer.isBuffer(v)) value = `0x${v.toString('hex')}`;
  else if (typeof v === 'number') value = def?.valueNames.get(v) ?? String(v);
  else if (typeof v === 'bigint') value = (v <= BigInt(Number.MAX_SAFE_INTEGER) ? def?.valueNames.get(Number(v)) : undefined) ?? String(v);
  else value = v;
  return { name, ...vendor, value };
}

/** A parsed packet's header and attributes as text. */
export function describeParsed(dict: Dictionary, packet: RawPacket): DescribedPacket {
  let attributes: TraceAttribute[];
  try {
    attributes = decodeAttributes(dict, packet.attributes).map((a) => describeAttribute(dict, a));
  } catch {
    // The decoder does not throw on a packet parsePacket accepted; should it ever, the header is still shown.
    attributes = [];
  }
  return { code: codeName(packet.code), identifier: packet.identifier, length: packet.raw.length, attributes };
}

/** The packet's bytes as text: decoded when they parse, else only what the header says (malformed packets). */
export function describeBytes(dict: Dictionary, bytes: Buffer): DescribedPacket {
  try {
    return describeParsed(dict, parsePacket(bytes));
  } catch {
    return {
      code: bytes.length > 0 ? codeName(bytes[0] as number) : 'empty',
      identifier: bytes.length > 1 ? (bytes[1] as number) : 0,
      length: bytes.length,
      attributes: [],
    };
  }
}
