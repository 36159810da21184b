/**
 * Decoding typed attributes (see attributes.ts for the naming of raw attributes and the tag rules). Decoding never
 * throws on a packet parsePacket accepted: whatever does not fit its dictionary type becomes a raw attribute with
 * a Buffer value. Decoded Buffers are views into the packet (no copy).
 */
import { TAG_MAX as TAG_MAX_, type Attribute, type AttributeValue, type CryptoContext } from './attributes.js';
import { Attr as Attributes } from './codes.js';
import * as cryptoLib from './crypto.js';
import { Kind as DictionaryKind, type Dictionary, type ResolvedAttributeDef, type VendorEntry } from './dictionary.js';
import { octetsToText as octetsToText_ } from './octets.js';
import * as primitives from './primitives.js';
import type { RawAttribute } from './packet.js';

// Module-local copies of imported constants and functions: used per attribute on the hot path, and a bundler's or
// test runner's import binding can cost a getter call per use.
const Kind = DictionaryKind;
const Attr = Attributes;
const TAG_MAX = TAG_MAX_;
const { formatEther, formatIfId, formatIPv4, formatIPv6 } = primitives;
const { ascendSecret, unhidePassword, unhideSalted } = cryptoLib;
const octetsToText = octetsToText_;

const VSA_NAME = 'Vendor-Specific';
const STD_RAW_NAMES: readonly string[] = Array.from({ length: 256 }, (_, i) => `Attr-${i}`);

/**
 * Decode a packet's attributes in wire order. Consecutive `concat` attributes (EAP-Message) are joined, RFC 6929
 * long extended fragments are reassembled, every sub-attribute of a Vendor-Specific is returned. Without a
 * CryptoContext, hidden attributes keep their name and carry the raw wire Buffer.
 *
 * @example
 * const packet = parsePacket(datagram);
 * const attrs = decodeAttributes(dict, packet.attributes, { secret, authenticator: packet.authenticator });
 */
export function decodeAttributes(dict: Dictionary, attributes: readonly RawAttribute[], crypto?: CryptoContext): Attribute[] {
  const out: Attribute[] = [];
  const n = attributes.length;
  const standard = dict.standard;
  for (let i = 0; i < n; i++) {
    const raw = attributes[i] as RawAttribute;
    const type = raw.type;
    if (raw.value.length === 0) continue; // RFC 2865 §5: no empty attributes (parsePacket already counted them)
    if (type === Attr.VendorSpecific) {
      i = decodeVsa(dict, attributes, i, crypto, out);
      continue;
    }
    const def = standard[type];
    if (def === undefined) {
      out.push({ name: stdRawName(type), value: raw.value });
      continue;
    }
    if (def.kind === Kind.Extended) {
      decodeExtended(def, raw.value, 1, crypto, out);
      continue;
    }
    if (def.kind === Kind.LongExtended) {
      i = decodeLongExtended(def, attributes, i, crypto, out);
      continue;
    }
    let value = raw.value;
    if (def.concat) {
      let j = i + 1;
      while (j < n && (attributes[j] as RawAttribute).type === type) j++;
      if (j > i + 1) {
        value = Buffer.concat(attributes.slice(i, j).map((a) => a.value));
        i = j - 1;
      }
    }
    if (!decodeInto(def, value, crypto, out)) out.push({ name: stdRawName(type), value });
  }
  return out;
}

function stdRawName(type: number): string {
  return STD_RAW_NAMES[type] ?? `Attr-${type}`;
}

/** Push the decoded attribute(s); false when the value does not fit the type (the caller pushes it raw). */
function decodeInto(def: ResolvedAttributeDef, data: Buffer, crypto: CryptoContext | undefined, out: Attribute[]): boolean {
  let d = data;
  let tag = 0;
  if (def.encrypt !== 0) {
    if (crypto === undefined) {
      out.push({ name: def.name, value: data });
      return true;
    }
    if (def.hasTag) {
      if (d.length < 1 || (d[0] as number) > TAG_MAX) return false;
      tag = d[0] as number;
      d = d.subarray(1);
    }
    const plain = reveal(def, d, crypto);
    if (plain === undefined) return false;
    d = plain;
  } else if (def.hasTag) {
    if (def.kind === Kind.Integer) {
      if (d.length !== 4 || (d[0] as number) > TAG_MAX) return false;
      tag = d[0] as number;
      const value = d.readUIntBE(1, 3);
      out.push(tag === 0 ? { name: def.name, value } : { name: def.name, value, tag });
      return true;
    }
    if (d.length > 0 && (d[0] as number) <= TAG_MAX) {
      tag = d[0] as number;
      d = d.subarray(1);
    }
  }
  if (def.array) {
    const size = FIXED_SIZE[def.kind] ?? 0;
    if (size > 0 && d.length > size && d.length % size === 0) {
      for (let off = 0; off < d.length; off += size) {
        const v = decodeScalar(def.kind, d.subarray(off, off + size));
        if (v === undefined) return false;
        out.push({ name: def.name, value: v });
      }
      return true;
    }
  }
  if (def.size !== 0 && d.length !== def.size) return false; // `octets[N]`: any other length is malformed
  const value = decodeScalar(def.kind, d);
  if (value === undefined) return false;
  out.push(tag === 0 ? { name: def.name, value } : { name: def.name, value, tag });
  return true;
}

/** Octets of each fixed-size kind, for the `array` flag. */
const FIXED_SIZE: Partial<Record<number, number>> = {
  [Kind.IPAddr]: 4,
  [Kind.IPv6Addr]: 16,
  [Kind.IfId]: 8,
  [Kind.Integer]: 4,
  [Kind.Integer64]: 8,
  [Kind.Date]: 4,
  [Kind.Byte]: 1,
  [Kind.Short]: 2,
  [Kind.Signed]: 4,
  [Kind.Ether]: 6,
};

function decodeScalar(kind: number, d: Buffer): AttributeValue | undefined {
  switch (kind) {
    case Kind.String:
      // Octets, not text (RFC 8044 §3.5): the exact text form of octets.ts keeps every byte (no U+FFFD), and is
      // the plain UTF-8 string for every valid one.
      return isPlainAscii(d) ? d.toString() : octetsToText(d);
    case Kind.Integer:
    case Kind.Date:
      return d.length === 4 ? d.readUInt32BE(0) : undefined;
    case Kind.IPAddr:
      return d.length === 4 ? formatIPv4(d, 0) : undefined;
    case Kind.Byte:
      return d.length === 1 ? d.readUInt8(0) : undefined;
    case Kind.Short:
      return d.length === 2 ? d.readUInt16BE(0) : undefined;
    case Kind.Signed:
      return d.length === 4 ? d.readInt32BE(0) : undefined;
    case Kind.Integer64:
      return d.length === 8 ? d.readBigUInt64BE(0) : undefined;
    case Kind.IPv6Addr:
      return d.length === 16 ? formatIPv6(d, 0) : undefined;
    case Kind.ComboIP:
      return d.length === 4 ? formatIPv4(d, 0) : d.length === 16 ? formatIPv6(d, 0) : undefined;
    case Kind.IPv6Prefix: {
      // RFC 3162 §2.3: reserved, prefix length, then up to 16 octets of prefix (short prefixes are accepted).
      // Bits beyond the prefix length must be zero (RFC 8044 §3.10): otherwise the value is malformed.
      if (d.length < 2 || d.length > 18 || (d[1] as number) > 128) return undefined;
      if (!zeroBeyond(d, 2, d[1] as number)) return undefined;
      const addr = Buffer.alloc(16);
      d.copy(addr, 0, 2);
      return `${formatIPv6(addr, 0)}/${d[1] as number}`;
    }
    case Kind.IPv4Prefix:
      // RFC 6572 §3 / RFC 8044 §3.11: reserved (zero), prefix length, 4 octets of prefix, zero beyond the length.
      return d.length === 6 && d[0] === 0 && (d[1] as number) <= 32 && zeroBeyond(d, 2, d[1] as number)
        ? `${formatIPv4(d, 2)}/${d[1] as number}`
        : undefined;
    case Kind.IfId:
      return d.length === 8 ? formatIfId(d) : undefined;
    case Kind.Ether:
      return d.length === 6 ? formatEther(d) : undefined;
    default:
      return d;
  }
}

/**
 * Printable-or-control ASCII without NUL or backslash: its text form is the string itself. The common case
 * (logins, MACs, session ids), checked inline because octetsToText's general test costs more than the decode.
 */
function isPlainAscii(d: Buffer): boolean {
  for (let i = 0; i < d.length; i++) {
    const c = d[i] as number;
    if (((c - 1) >>> 0) >= 0x7f || c === 0x5c) return false; // NUL and 0x80.. fail the first test
  }
  return true;
}

/** Whether every bit of `d` from `off` on, past the first `bits` bits, is zero. */
function zeroBeyond(d: Buffer, off: number, bits: number): boolean {
  for (let i = off; i < d.length; i++) {
    const keep = bits - (i - off) * 8;
    if (keep >= 8) continue;
    const mask = keep <= 0 ? 0xff : 0xff >> keep;
    if (((d[i] as number) & mask) !== 0) return false;
  }
  return true;
}

/** Undo the hiding of encrypt=1/2/3; undefined when the hidden value is malformed. */
function reveal(def: ResolvedAttributeDef, d: Buffer, crypto: CryptoContext): Buffer | undefined {
  switch (def.encrypt) {
    case 0:
      return d;
    case 1: {
      const max = def.vendorId === 0 && def.type === Attr.UserPassword && def.parent === undefined ? 128 : 240;
      if (d.length < 16 || d.length > max || d.length % 16 !== 0) return undefined;
      return unhidePassword(d, crypto.secret, crypto.authenticator, max);
    }
    case 2:
      if (d.length < 18 || (d.length - 2) % 16 !== 0) return undefined;
      try {
        return unhideSalted(d, crypto.secret, crypto.authenticator);
      } catch {
        return undefined; // the decrypted length octet exceeds the data: wrong secret or a corrupted value
      }
    case 3: {
      if (d.length !== 16) return undefined;
      const plain = ascendSecret(d, crypto.secret, crypto.authenticator);
      const nul = plain.indexOf(0);
      return nul === -1 ? plain : plain.subarray(0, nul);
    }
  }
}

/**
 * Vendor-Specific (RFC 2865 §5.26): Vendor-Id, then sub-attributes in the vendor's format. The whole VSA is
 * checked first; if any sub-attribute does not parse, or the vendor is unknown, it is kept as one raw
 * `Vendor-Specific` attribute. A WiMAX-format sub-attribute with the continuation flag set is joined with the
 * same sub-attribute in the Vendor-Specific attributes that follow; returns the index of the last one consumed.
 */
function decodeVsa(dict: Dictionary, attributes: readonly RawAttribute[], i: number, crypto: CryptoContext | undefined, out: Attribute[]): number {
  const data = (attributes[i] as RawAttribute).value;
  const entry = data.length > 4 ? dict.vendors.get(data.readUInt32BE(0)) : undefined;
  if (entry === undefined || !vsaParses(entry, data)) {
    out.push({ name: VSA_NAME, value: data });
    return i;
  }
  const { typeSize, lengthSize, id } = entry.def;
  const header = typeSize + lengthSize + (entry.continuation ? 1 : 0);
  const end = data.length;
  let p = 4;
  while (p < end) {
    const type = typeSize === 1 ? (data[p] as number) : typeSize === 2 ? data.readUInt16BE(p) : data.readUInt32BE(p);
    const len = lengthSize === 0 ? end - p : lengthSize === 1 ? (data[p + typeSize] as number) : data.readUInt16BE(p + typeSize);
    let value = data.subarray(p + header, p + len);
    if (entry.continuation && ((data[p + header - 1] as number) & 0x80) !== 0) {
      const joined = p + len === end ? continued(entry, type, value, attributes, i) : undefined;
      if (joined === undefined) {
        // The flag promises more that is not there (or is not last in its VSA): the VSA stays raw.
        out.push({ name: VSA_NAME, value: data });
        return i;
      }
      value = joined.value;
      i = joined.last;
    }
    const def = entry.attributes.get(type);
    if (def === undefined || !decodeInto(def, value, crypto, out)) out.push({ name: `Vendor-${id}-Attr-${type}`, value });
    p += len;
  }
  return i;
}

/**
 * The value of a continued WiMAX sub-attribute: `first`, then the value of the same sub-attribute alone in each
 * following Vendor-Specific of the vendor, up to the one without the flag; undefined when the chain breaks.
 */
function continued(
  entry: VendorEntry,
  type: number,
  first: Buffer,
  attributes: readonly RawAttribute[],
  i: number,
): { value: Buffer; last: number } | undefined {
  const parts = [first];
  let j = i;
  for (;;) {
    const next = attributes[j + 1];
    if (next === undefined || next.type !== Attr.VendorSpecific) return undefined;
    const v = next.value;
    if (v.length < 7 || v.readUInt32BE(0) !== entry.def.id || v[4] !== type || v[5] !== v.length - 4) return undefined;
    j++;
    parts.push(v.subarray(7));
    if (((v[6] as number) & 0x80) === 0) return { value: Buffer.concat(parts), last: j };
  }
}

function vsaParses(entry: VendorEntry, data: Buffer): boolean {
  const { typeSize, lengthSize } = entry.def;
  const header = typeSize + lengthSize + (entry.continuation ? 1 : 0);
  if (lengthSize === 0) return data.length >= 4 + header;
  const end = data.length;
  let p = 4;
  while (p < end) {
    if (p + header > end) return false;
    const len = lengthSize === 1 ? (data[p + typeSize] as number) : data.readUInt16BE(p + typeSize);
    if (len < header || p + len > end) return false;
    p += len;
  }
  return true;
}

/** RFC 6929 §2.1 short extended attribute: Extended-Type, then the value (or an evs: Vendor-Id, Vendor-Type, value). */
function decodeExtended(def: ResolvedAttributeDef, data: Buffer, headerSize: number, crypto: CryptoContext | undefined, out: Attribute[]): void {
  if (data.length < headerSize) {
    out.push({ name: stdRawName(def.type), value: data });
    return;
  }
  const extType = data[0] as number;
  const value = data.subarray(headerSize);
  const child = def.children?.get(extType);
  if (child !== undefined && child.kind === Kind.Evs) {
    if (value.length < 5) {
      out.push({ name: `Attr-${def.type}.${extType}`, value });
      return;
    }
    const vendorId = value.readUInt32BE(0);
    const vendorType = value[4] as number;
    const member = child.children?.get(vendorId * 256 + vendorType);
    const memberValue = value.subarray(5);
    if (member === undefined || !decodeInto(member, memberValue, crypto, out)) {
      out.push({ name: `Attr-${def.type}.${extType}.${vendorId}.${vendorType}`, value: memberValue });
    }
    return;
  }
  if (child === undefined || !decodeInto(child, value, crypto, out)) out.push({ name: `Attr-${def.type}.${extType}`, value });
}

/**
 * RFC 6929 §2.2 long extended attribute: Extended-Type, flags (M = more fragments), value. Fragments are
 * consecutive attributes of the same type and Extended-Type; returns the index of the last one consumed.
 */
function decodeLongExtended(
  def: ResolvedAttributeDef,
  attributes: readonly RawAttribute[],
  i: number,
  crypto: CryptoContext | undefined,
  out: Attribute[],
): number {
  const first = (attributes[i] as RawAttribute).value;
  if (first.length < 2 || ((first[1] as number) & 0x80) === 0) {
    decodeExtended(def, first, 2, crypto, out);
    return i;
  }
  const extType = first[0] as number;
  const parts: Buffer[] = [first.subarray(2)];
  let j = i;
  let more = true;
  while (more) {
    const next = attributes[j + 1];
    if (next === undefined || next.type !== def.type || next.value.length < 2 || next.value[0] !== extType) {
      // The M flag promised another fragment that is not there: keep the first fragment raw.
      out.push({ name: stdRawName(def.type), value: first });
      return i;
    }
    j++;
    parts.push(next.value.subarray(2));
    more = ((next.value[1] as number) & 0x80) !== 0;
  }
  const joined = Buffer.concat([first.subarray(0, 2), ...parts]);
  decodeExtended(def, joined, 2, crypto, out);
  return j;
}

