/**
 * Typed attributes on top of packet.ts: dictionary-driven decoding and encoding of values, tags (RFC 2868 §3),
 * hidden values (RFC 2865 §5.2, RFC 2868 §3.5, RFC 2548 §2.4, Ascend-Send-Secret), Vendor-Specific in every
 * FreeRADIUS vendor format, and RFC 6929 extended attributes.
 *
 * Decoding never throws on a packet parsePacket accepted: whatever does not fit its dictionary type becomes a
 * raw attribute with a Buffer value, named as FreeRADIUS names unknown attributes (`Attr-<n>`,
 * `Vendor-<vendorId>-Attr-<n>`, `Attr-241.<n>`, `Attr-241.26.<vendorId>.<n>`), and those names encode back to
 * the same bytes. Decoded Buffers are views into the packet (no copy).
 *
 * Tags (RFC 2868 §3.1, as FreeRADIUS 3 does it):
 * - tagged integer (Tunnel-Type): the first of the 4 octets is the tag (0 when absent), the value is 24 bits;
 * - tagged string: a first octet 0x00..0x1F is the tag and is removed; when encoding, the tag octet is written
 *   for tags 1..31 and left out for no tag / tag 0 — unless the string itself starts with an octet below 0x20,
 *   where a 0x00 tag octet is written so that the receiver does not take the first character for a tag;
 * - Tunnel-Password (tagged, encrypt=2): the tag octet is always present and precedes the salt.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Attr as Attributes } from './codes.js';
import { hidePassword, hideSalted, unhidePassword, unhideSalted } from './crypto.js';
import { Kind as DictionaryKind, type Dictionary, type ResolvedAttributeDef, type VendorEntry } from './dictionary.js';
import { RadiusError } from './errors.js';
import type { RawAttribute } from './packet.js';

export type AttributeValue = string | number | bigint | Buffer;

export interface Attribute {
  readonly name: string;
  readonly value: AttributeValue;
  /** RFC 2868 tag, 1..31. Absent (or 0) means no tag. */
  readonly tag?: number;
}

/**
 * What hidden attributes are keyed with. `authenticator` is the Request Authenticator of the request: of this
 * packet for an Access-Request; of the request answered, for a reply (RFC 2868 §3.5, RFC 2548 §2.4.2).
 */
export interface CryptoContext {
  readonly secret: Buffer;
  readonly authenticator: Buffer;
}

// Module-local copies of imported constants: read per attribute on the hot path, and a bundler's or test runner's
// import binding can cost a getter call per read.
const Kind = DictionaryKind;
const Attr = Attributes;

const MAX_VALUE = 253;
const TAG_MAX = 0x1f;
const VSA_NAME = 'Vendor-Specific';
const STD_RAW_NAMES: readonly string[] = Array.from({ length: 256 }, (_, i) => `Attr-${i}`);

// ---------------------------------------------------------------------------------------------------------------
// Decoding

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
    if (type === Attr.VendorSpecific) {
      decodeVsa(dict, raw.value, crypto, out);
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
    const plain = reveal(def.encrypt, d, crypto);
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
      return d.toString(); // UTF-8; the no-argument form is Node's fastest path
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
      if (d.length < 2 || d.length > 18 || (d[1] as number) > 128) return undefined;
      const addr = Buffer.alloc(16);
      d.copy(addr, 0, 2);
      return `${formatIPv6(addr, 0)}/${d[1] as number}`;
    }
    case Kind.IPv4Prefix:
      // RFC 6572 §3: reserved, prefix length, 4 octets of prefix.
      return d.length === 6 && (d[1] as number) <= 32 ? `${formatIPv4(d, 2)}/${d[1] as number}` : undefined;
    case Kind.IfId:
      return d.length === 8 ? formatIfId(d) : undefined;
    case Kind.Ether:
      return d.length === 6 ? formatEther(d) : undefined;
    default:
      return d;
  }
}

/** Undo the hiding of encrypt=1/2/3; undefined when the hidden value is malformed. */
function reveal(encrypt: 1 | 2 | 3, d: Buffer, crypto: CryptoContext): Buffer | undefined {
  switch (encrypt) {
    case 1:
      if (d.length < 16 || d.length > 128 || d.length % 16 !== 0) return undefined;
      return unhidePassword(d, crypto.secret, crypto.authenticator);
    case 2:
      if (d.length < 18 || (d.length - 2) % 16 !== 0) return undefined;
      try {
        return unhideSalted(d, crypto.secret, crypto.authenticator);
      } catch {
        return undefined; // the decrypted length octet exceeds the data: wrong secret or a corrupted value
      }
    case 3: {
      if (d.length !== 16) return undefined;
      const plain = ascendSecret(d, crypto);
      const nul = plain.indexOf(0);
      return nul === -1 ? plain : plain.subarray(0, nul);
    }
  }
}

/**
 * Ascend-Send-Secret / Ascend-Receive-Secret (encrypt=3, FreeRADIUS `make_secret`): the value, NUL-padded to 16
 * octets, XOR MD5(Request Authenticator | secret). Its own inverse.
 */
function ascendSecret(value: Buffer, crypto: CryptoContext): Buffer {
  const out = createHash('md5').update(crypto.authenticator).update(crypto.secret).digest();
  for (let i = 0; i < 16 && i < value.length; i++) out[i] = (out[i] as number) ^ (value[i] as number);
  return out;
}

/**
 * Vendor-Specific (RFC 2865 §5.26): Vendor-Id, then sub-attributes in the vendor's format. The whole VSA is
 * checked first; if any sub-attribute does not parse, or the vendor is unknown, it is kept as one raw
 * `Vendor-Specific` attribute.
 */
function decodeVsa(dict: Dictionary, data: Buffer, crypto: CryptoContext | undefined, out: Attribute[]): void {
  const entry = data.length > 4 ? dict.vendors.get(data.readUInt32BE(0)) : undefined;
  if (entry === undefined || !vsaParses(entry, data)) {
    out.push({ name: VSA_NAME, value: data });
    return;
  }
  const { typeSize, lengthSize, id } = entry.def;
  const header = typeSize + lengthSize + (entry.continuation ? 1 : 0);
  const end = data.length;
  let p = 4;
  while (p < end) {
    const type = typeSize === 1 ? (data[p] as number) : typeSize === 2 ? data.readUInt16BE(p) : data.readUInt32BE(p);
    const len = lengthSize === 0 ? end - p : lengthSize === 1 ? (data[p + typeSize] as number) : data.readUInt16BE(p + typeSize);
    const value = data.subarray(p + header, p + len);
    const def = entry.attributes.get(type);
    if (def === undefined || !decodeInto(def, value, crypto, out)) out.push({ name: `Vendor-${id}-Attr-${type}`, value });
    p += len;
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

// ---------------------------------------------------------------------------------------------------------------
// Encoding

/** Salts already used in the packet being encoded (RFC 2868 §3.5: unique within a packet). */
type SaltSet = Set<number> | undefined;

/**
 * Encode one attribute as one wire attribute (a vendor attribute as one Vendor-Specific wrapping it).
 * Throws RadiusError RADIUS_UNKNOWN_ATTRIBUTE, or RADIUS_ENCODE_VALUE naming the attribute when the value does not
 * fit its type or is longer than one attribute holds (encodeAttributes splits `concat` and long extended ones).
 *
 * @example
 * encodeAttribute(dict, { name: 'Framed-IP-Address', value: '10.0.0.7' }); // { type: 8, value: <0a 00 00 07> }
 */
export function encodeAttribute(dict: Dictionary, attr: Attribute, crypto?: CryptoContext): RawAttribute {
  const out: RawAttribute[] = [];
  encodeInto(dict, attr, crypto, out, false, undefined);
  return out[0] as RawAttribute;
}

/** Encode attributes in order; values too long for one attribute are split where the type allows it. */
export function encodeAttributes(dict: Dictionary, attrs: readonly Attribute[], crypto?: CryptoContext): RawAttribute[] {
  const out: RawAttribute[] = [];
  let salts: SaltSet;
  for (const attr of attrs) {
    if (salts === undefined && crypto !== undefined) salts = new Set();
    encodeInto(dict, attr, crypto, out, true, salts);
  }
  return out;
}

function encodeInto(
  dict: Dictionary,
  attr: Attribute,
  crypto: CryptoContext | undefined,
  out: RawAttribute[],
  split: boolean,
  salts: SaltSet,
): void {
  const def = dict.resolveName(attr.name);
  if (def === undefined) {
    out.push(encodeRawName(dict, attr));
    return;
  }
  if (!def.onWire || def.virtual) throw encodeError(def.name, 'is not sent in packets (virtual or unplaced attribute)');
  const tag = attr.tag;
  if (tag !== undefined && tag !== 0) {
    if (!def.hasTag) throw encodeError(def.name, `takes no tag (got ${tag})`);
    if (!Number.isInteger(tag) || tag < 0 || tag > TAG_MAX) throw encodeError(def.name, `tag ${tag} is not 1..31`);
  }
  const parent = def.parent;
  if (parent === undefined) {
    if (def.vendorId === 0) {
      if (def.type > 255) throw encodeError(def.name, `is a server-internal attribute (number ${def.type}) and is not sent in packets`);
      const value = encodeData(def, attr, crypto, 0, salts);
      if (value.length > MAX_VALUE) {
        if (!split || !def.concat) throw tooLong(def.name, value.length, MAX_VALUE);
        for (let off = 0; off < value.length; off += MAX_VALUE) out.push({ type: def.type, value: value.subarray(off, off + MAX_VALUE) });
        return;
      }
      out.push({ type: def.type, value });
      return;
    }
    const entry = dict.vendors.get(def.vendorId);
    if (entry === undefined) throw encodeError(def.name, `vendor ${def.vendorId} is not in the dictionary`);
    const header = vsaHeaderSize(entry);
    out.push({ type: Attr.VendorSpecific, value: writeVsaHeader(entry, def.type, def.name, encodeData(def, attr, crypto, 4 + header, salts)) });
    return;
  }
  if (parent.kind === Kind.Extended || parent.kind === Kind.LongExtended) {
    const long = parent.kind === Kind.LongExtended;
    const data = encodeData(def, attr, crypto, 0, salts);
    pushExtended(out, parent.type, long, def.type, undefined, data, def.name, split);
    return;
  }
  if (parent.kind === Kind.Evs) {
    const top = parent.parent;
    if (top === undefined || (top.kind !== Kind.Extended && top.kind !== Kind.LongExtended)) {
      throw encodeError(def.name, `its evs container ${parent.name} is not inside an extended attribute`);
    }
    const data = encodeData(def, attr, crypto, 0, salts);
    const evs = { vendorId: def.vendorId, type: def.type };
    pushExtended(out, top.type, top.kind === Kind.LongExtended, parent.type, evs, data, def.name, false);
    return;
  }
  throw encodeError(def.name, `is a member of ${parent.name} (${parent.dataType}); encode ${parent.name} as octets instead`);
}

function vsaHeaderSize(entry: VendorEntry): number {
  return entry.def.typeSize + entry.def.lengthSize + (entry.continuation ? 1 : 0);
}

/**
 * Fill in the Vendor-Id and sub-attribute header in the first 4 + vsaHeaderSize() octets of `buf`, which holds
 * the sub-attribute's value after them: one allocation per VSA.
 */
function writeVsaHeader(entry: VendorEntry, type: number, name: string, buf: Buffer): Buffer {
  const { id, typeSize, lengthSize } = entry.def;
  if (type >= 2 ** (8 * typeSize)) throw encodeError(name, `number ${type} does not fit the vendor's ${typeSize}-octet type field`);
  if (buf.length > MAX_VALUE) throw tooLong(name, buf.length, MAX_VALUE);
  buf.writeUInt32BE(id, 0);
  if (typeSize === 1) buf[4] = type;
  else if (typeSize === 2) buf.writeUInt16BE(type, 4);
  else buf.writeUInt32BE(type, 4);
  const subLength = buf.length - 4;
  if (lengthSize === 1) buf[4 + typeSize] = subLength;
  else if (lengthSize === 2) buf.writeUInt16BE(subLength, 4 + typeSize);
  if (entry.continuation) buf[4 + typeSize + lengthSize] = 0;
  return buf;
}

/** RFC 6929 extended (241..244) or long extended (245, 246, fragmented when `split`) attribute. */
function pushExtended(
  out: RawAttribute[],
  type: number,
  long: boolean,
  extType: number,
  evs: { readonly vendorId: number; readonly type: number } | undefined,
  data: Buffer,
  name: string,
  split: boolean,
): void {
  const header = (long ? 2 : 1) + (evs === undefined ? 0 : 5);
  const room = MAX_VALUE - header;
  if (data.length > room && !(long && split && evs === undefined)) throw tooLong(name, data.length + header, MAX_VALUE);
  let off = 0;
  do {
    const chunk = data.subarray(off, off + room);
    off += chunk.length;
    const value = Buffer.allocUnsafe(header + chunk.length);
    value[0] = extType;
    if (long) value[1] = off < data.length ? 0x80 : 0;
    if (evs !== undefined) {
      value.writeUInt32BE(evs.vendorId, header - 5);
      value[header - 1] = evs.type;
    }
    chunk.copy(value, header);
    out.push({ type, value });
  } while (off < data.length);
}

/** `Attr-<n>`, `Attr-241.<n>`, `Attr-241.26.<vendor>.<n>`, `Vendor-<vendor>-Attr-<n>`, `Vendor-Specific`: raw octets. */
function encodeRawName(dict: Dictionary, attr: Attribute): RawAttribute {
  const name = attr.name;
  const lower = name.toLowerCase();
  if (lower === 'vendor-specific') return { type: Attr.VendorSpecific, value: checkLength(name, rawOctets(name, attr.value)) };
  if (lower.startsWith('attr-')) {
    const path = parsePath(name.slice(5));
    if (path !== undefined) {
      const [a, b, c, d] = path;
      if (path.length === 1 && a !== undefined && a < 256) return { type: a, value: checkLength(name, rawOctets(name, attr.value)) };
      const isExtended = a !== undefined && a >= 241 && a <= 246;
      if (isExtended && b !== undefined && b < 256 && (path.length === 2 || (path.length === 4 && b === 26 && d !== undefined && d < 256))) {
        const out: RawAttribute[] = [];
        const evs = c !== undefined && d !== undefined ? { vendorId: c, type: d } : undefined;
        pushExtended(out, a, a >= 245, b, evs, rawOctets(name, attr.value), name, false);
        return out[0] as RawAttribute;
      }
    }
  } else if (lower.startsWith('vendor-')) {
    const dash = lower.indexOf('-attr-', 7);
    const vendorId = dash === -1 ? undefined : parsePath(lower.slice(7, dash));
    const type = dash === -1 ? undefined : parsePath(lower.slice(dash + 6));
    if (vendorId?.length === 1 && type?.length === 1) {
      const v = vendorId[0] as number;
      const entry: VendorEntry = dict.vendors.get(v) ?? {
        def: { name: `Vendor-${v}`, id: v, typeSize: 1, lengthSize: 1 },
        continuation: false,
        attributes: new Map(),
      };
      const octets = rawOctets(name, attr.value);
      const buf = Buffer.allocUnsafe(4 + vsaHeaderSize(entry) + octets.length);
      octets.copy(buf, 4 + vsaHeaderSize(entry));
      return { type: Attr.VendorSpecific, value: writeVsaHeader(entry, type[0] as number, name, buf) };
    }
  }
  throw new RadiusError('RADIUS_UNKNOWN_ATTRIBUTE', `attribute "${name}" is not in the dictionary`);
}

function parsePath(text: string): number[] | undefined {
  const out: number[] = [];
  for (const part of text.split('.')) {
    if (part.length === 0 || part.length > 10) return undefined;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return undefined;
    }
    const n = Number(part);
    if (n > 0xffffffff) return undefined;
    out.push(n);
  }
  return out;
}

function checkLength(name: string, value: Buffer): Buffer {
  if (value.length > MAX_VALUE) throw tooLong(name, value.length, MAX_VALUE);
  return value;
}

/**
 * The value octets of `def` after `room` octets left for the caller's headers, including the tag octet and the
 * hiding. One allocation for unhidden values.
 */
function encodeData(def: ResolvedAttributeDef, attr: Attribute, crypto: CryptoContext | undefined, room: number, salts: SaltSet): Buffer {
  if (def.encrypt !== 0) return encodeHidden(def, attr, crypto, room, salts);
  const v = attr.value;
  const tag = attr.tag ?? 0;
  switch (def.kind) {
    case Kind.String: {
      if (typeof v === 'string') {
        const len = Buffer.byteLength(v, 'utf8');
        const t = def.hasTag && (tag !== 0 || (v.length > 0 && v.charCodeAt(0) <= TAG_MAX)) ? 1 : 0;
        const buf = Buffer.allocUnsafe(room + t + len);
        if (t === 1) buf[room] = tag;
        buf.write(v, room + t, 'utf8');
        return buf;
      }
      if (Buffer.isBuffer(v)) {
        const t = def.hasTag && (tag !== 0 || (v.length > 0 && (v[0] as number) <= TAG_MAX)) ? 1 : 0;
        const buf = Buffer.allocUnsafe(room + t + v.length);
        if (t === 1) buf[room] = tag;
        v.copy(buf, room + t);
        return buf;
      }
      throw typeError(def, v, 'a string or Buffer');
    }
    case Kind.Integer: {
      if (def.hasTag) {
        const n = toUnsigned(def, v, 0xffffff);
        const buf = Buffer.allocUnsafe(room + 4);
        buf[room] = tag;
        buf.writeUIntBE(n, room + 1, 3);
        return buf;
      }
      if (Buffer.isBuffer(v)) return fixedBuffer(def, v, 4, room);
      const buf = Buffer.allocUnsafe(room + 4);
      buf.writeUInt32BE(toUnsigned(def, v, 0xffffffff), room);
      return buf;
    }
    case Kind.Date: {
      if (Buffer.isBuffer(v)) return fixedBuffer(def, v, 4, room);
      const buf = Buffer.allocUnsafe(room + 4);
      buf.writeUInt32BE(toUnsigned(def, v, 0xffffffff), room);
      return buf;
    }
    case Kind.Byte: {
      if (Buffer.isBuffer(v)) return fixedBuffer(def, v, 1, room);
      const buf = Buffer.allocUnsafe(room + 1);
      buf[room] = toUnsigned(def, v, 0xff);
      return buf;
    }
    case Kind.Short: {
      if (Buffer.isBuffer(v)) return fixedBuffer(def, v, 2, room);
      const buf = Buffer.allocUnsafe(room + 2);
      buf.writeUInt16BE(toUnsigned(def, v, 0xffff), room);
      return buf;
    }
    case Kind.Signed: {
      if (Buffer.isBuffer(v)) return fixedBuffer(def, v, 4, room);
      const buf = Buffer.allocUnsafe(room + 4);
      buf.writeInt32BE(toSigned(def, v), room);
      return buf;
    }
    case Kind.Integer64: {
      if (Buffer.isBuffer(v)) return fixedBuffer(def, v, 8, room);
      const buf = Buffer.allocUnsafe(room + 8);
      buf.writeBigUInt64BE(toUnsigned64(def, v), room);
      return buf;
    }
    case Kind.IPAddr: {
      if (Buffer.isBuffer(v)) return fixedBuffer(def, v, 4, room);
      const buf = Buffer.allocUnsafe(room + 4);
      if (typeof v !== 'string' || !parseIPv4(v, buf, room)) throw typeError(def, v, 'an IPv4 address (a.b.c.d)');
      return buf;
    }
    case Kind.IPv6Addr: {
      if (Buffer.isBuffer(v)) return fixedBuffer(def, v, 16, room);
      const buf = Buffer.allocUnsafe(room + 16);
      if (typeof v !== 'string' || !parseIPv6(v, buf, room)) throw typeError(def, v, 'an IPv6 address');
      return buf;
    }
    case Kind.ComboIP: {
      if (Buffer.isBuffer(v)) {
        if (v.length !== 4 && v.length !== 16) throw typeError(def, v, 'a 4- or 16-octet address');
        return fixedBuffer(def, v, v.length, room);
      }
      if (typeof v === 'string') {
        const v4 = Buffer.allocUnsafe(room + 4);
        if (parseIPv4(v, v4, room)) return v4;
        const v6 = Buffer.allocUnsafe(room + 16);
        if (parseIPv6(v, v6, room)) return v6;
      }
      throw typeError(def, v, 'an IPv4 or IPv6 address');
    }
    case Kind.IPv6Prefix: {
      if (Buffer.isBuffer(v)) return fixedBuffer(def, v, v.length, room);
      // Always 18 octets, as FreeRADIUS 3 sends it; bits beyond the prefix length are zeroed (RFC 3162 §2.3).
      const buf = Buffer.alloc(room + 18);
      const slash = typeof v === 'string' ? v.indexOf('/') : -1;
      const len = slash === -1 ? -1 : parsePrefixLength(v as string, slash + 1, 128);
      if (len < 0 || !parseIPv6((v as string).slice(0, slash), buf, room + 2)) throw typeError(def, v, 'an IPv6 prefix (addr/len)');
      buf[room + 1] = len;
      maskBits(buf, room + 2, 16, len);
      return buf;
    }
    case Kind.IPv4Prefix: {
      if (Buffer.isBuffer(v)) return fixedBuffer(def, v, 6, room);
      const buf = Buffer.alloc(room + 6);
      const slash = typeof v === 'string' ? v.indexOf('/') : -1;
      const len = slash === -1 ? -1 : parsePrefixLength(v as string, slash + 1, 32);
      if (len < 0 || !parseIPv4((v as string).slice(0, slash), buf, room + 2)) throw typeError(def, v, 'an IPv4 prefix (a.b.c.d/len)');
      buf[room + 1] = len;
      maskBits(buf, room + 2, 4, len);
      return buf;
    }
    case Kind.IfId: {
      if (Buffer.isBuffer(v)) return fixedBuffer(def, v, 8, room);
      const buf = Buffer.allocUnsafe(room + 8);
      if (typeof v !== 'string' || !parseHexGroups(v, buf, room, 8, ':', 4)) throw typeError(def, v, 'an interface id (xxxx:xxxx:xxxx:xxxx)');
      return buf;
    }
    case Kind.Ether: {
      if (Buffer.isBuffer(v)) return fixedBuffer(def, v, 6, room);
      const buf = Buffer.allocUnsafe(room + 6);
      if (typeof v !== 'string' || !parseEther(v, buf, room)) throw typeError(def, v, 'a MAC address (aa:bb:cc:dd:ee:ff)');
      return buf;
    }
    default: {
      const octets = rawOctets(def.name, v);
      const buf = Buffer.allocUnsafe(room + octets.length);
      octets.copy(buf, room);
      return buf;
    }
  }
}

/** encrypt=1/2/3. Without a CryptoContext only an already hidden Buffer (as decoded without one) is accepted. */
function encodeHidden(def: ResolvedAttributeDef, attr: Attribute, crypto: CryptoContext | undefined, room: number, salts: SaltSet): Buffer {
  const v = attr.value;
  if (crypto === undefined) {
    if (!Buffer.isBuffer(v)) throw encodeError(def.name, 'is hidden on the wire: pass a CryptoContext (secret and Request Authenticator)');
    const buf = Buffer.allocUnsafe(room + v.length);
    v.copy(buf, room);
    return buf;
  }
  const plain = typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.isBuffer(v) ? v : encodeData({ ...def, encrypt: 0, hasTag: false }, attr, undefined, 0, undefined);
  let hidden: Buffer;
  try {
    if (def.encrypt === 1) hidden = hidePassword(plain, crypto.secret, crypto.authenticator);
    else if (def.encrypt === 2) hidden = hideSalted(plain, crypto.secret, crypto.authenticator, uniqueSalt(salts));
    else {
      if (plain.length > 16) throw new RadiusError('RADIUS_ENCODE_VALUE', `${plain.length} octets; at most 16 can be hidden`);
      hidden = ascendSecret(plain, crypto);
    }
  } catch (err) {
    if (err instanceof RadiusError) throw encodeError(def.name, err.message, err);
    throw err;
  }
  const t = def.hasTag ? 1 : 0;
  const buf = Buffer.allocUnsafe(room + t + hidden.length);
  if (t === 1) buf[room] = attr.tag ?? 0;
  hidden.copy(buf, room + t);
  return buf;
}

/** A salt (high bit set, RFC 2868 §3.5) not yet used in this packet. */
function uniqueSalt(salts: SaltSet): Buffer {
  for (;;) {
    const salt = randomBytes(2);
    salt[0] = (salt[0] as number) | 0x80;
    const key = salt.readUInt16BE(0);
    if (salts === undefined) return salt;
    if (!salts.has(key)) {
      salts.add(key);
      return salt;
    }
  }
}

function fixedBuffer(def: ResolvedAttributeDef, v: Buffer, size: number, room: number): Buffer {
  if (v.length !== size) throw encodeError(def.name, `a Buffer value must be ${size} octets, got ${v.length}`);
  const buf = Buffer.allocUnsafe(room + size);
  v.copy(buf, room);
  return buf;
}

/** Octets from a Buffer, a `0x…` hex string, or any other string as UTF-8. */
function rawOctets(name: string, v: AttributeValue): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') {
    if (v.length >= 2 && v.charCodeAt(0) === 0x30 && (v.charCodeAt(1) | 0x20) === 0x78) {
      const hex = v.slice(2);
      const buf = Buffer.from(hex, 'hex');
      if (buf.length * 2 !== hex.length) throw encodeError(name, `"${v}" is not a valid 0x hex string`);
      return buf;
    }
    return Buffer.from(v, 'utf8');
  }
  throw encodeError(name, `${describe(v)} is not octets (use a Buffer or a 0x hex string)`);
}

function toUnsigned(def: ResolvedAttributeDef, v: AttributeValue, max: number): number {
  if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= 0 && v <= max) return v;
  } else if (typeof v === 'string') {
    const named = def.values.get(v) ?? def.valuesLower.get(v.toLowerCase());
    if (named !== undefined) {
      if (named >= 0 && named <= max) return named;
    } else if (isDigits(v)) {
      const n = Number(v);
      if (n <= max) return n;
    } else {
      throw encodeError(def.name, `"${v}" is not a VALUE of ${def.name} nor a number`);
    }
  } else if (typeof v === 'bigint') {
    if (v >= 0n && v <= BigInt(max)) return Number(v);
  }
  throw encodeError(def.name, `${describe(v)} is not an integer in 0..${max}`);
}

function toSigned(def: ResolvedAttributeDef, v: AttributeValue): number {
  let n: number | undefined;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'bigint') n = Number(v);
  else if (typeof v === 'string') {
    n = def.values.get(v) ?? def.valuesLower.get(v.toLowerCase());
    if (n === undefined && (isDigits(v) || (v.startsWith('-') && isDigits(v.slice(1))))) n = Number(v);
  }
  if (n !== undefined && Number.isInteger(n) && n >= -0x80000000 && n <= 0x7fffffff) return n;
  throw encodeError(def.name, `${describe(v)} is not an integer in -2147483648..2147483647`);
}

function toUnsigned64(def: ResolvedAttributeDef, v: AttributeValue): bigint {
  let n: bigint | undefined;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
  else if (typeof v === 'string') {
    const named = def.values.get(v) ?? def.valuesLower.get(v.toLowerCase());
    if (named !== undefined) n = BigInt(named);
    else if (isDigits(v)) n = BigInt(v);
  }
  if (n !== undefined && n >= 0n && n <= 0xffffffffffffffffn) return n;
  throw encodeError(def.name, `${describe(v)} is not an integer in 0..2^64-1`);
}

function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 20) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function parsePrefixLength(s: string, from: number, max: number): number {
  const text = s.slice(from);
  if (!isDigits(text) || text.length > 3) return -1;
  const n = Number(text);
  return n <= max ? n : -1;
}

/** Zero the bits of buf[off .. off+size) beyond the first `bits`. */
function maskBits(buf: Buffer, off: number, size: number, bits: number): void {
  for (let i = 0; i < size; i++) {
    const keep = bits - i * 8;
    if (keep >= 8) continue;
    buf[off + i] = keep <= 0 ? 0 : (buf[off + i] as number) & (0xff << (8 - keep));
  }
}

function describe(v: AttributeValue): string {
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'bigint') return `${v}n`;
  if (Buffer.isBuffer(v)) return `a Buffer of ${v.length} octets`;
  return String(v);
}

function typeError(def: ResolvedAttributeDef, v: AttributeValue, expected: string): RadiusError {
  return encodeError(def.name, `${describe(v)} is not ${expected}`);
}

function encodeError(name: string, cause: string, err?: unknown): RadiusError {
  return new RadiusError('RADIUS_ENCODE_VALUE', `${name}: ${cause}`, err === undefined ? undefined : { cause: err });
}

function tooLong(name: string, length: number, max: number): RadiusError {
  return encodeError(name, `value of ${length} octets is longer than the ${max} one attribute holds`);
}

// ---------------------------------------------------------------------------------------------------------------
// Text

/**
 * radclient-style `Name = value` for debug logs: strings quoted, integers by VALUE name when there is one,
 * octets as 0x hex, tags as `Name:1`. Hidden attributes (encrypt=1/2/3, `secret`) are shown as `<redacted>`.
 */
export function formatAttribute(dict: Dictionary, attr: Attribute): string {
  const def = dict.resolveName(attr.name);
  const name = attr.tag !== undefined && attr.tag !== 0 ? `${attr.name}:${attr.tag}` : attr.name;
  if (def !== undefined && (def.encrypt !== 0 || def.secret)) return `${name} = <redacted>`;
  const v = attr.value;
  let text: string;
  if (Buffer.isBuffer(v)) text = `0x${v.toString('hex')}`;
  else if (typeof v === 'number') text = def?.valueNames.get(v) ?? String(v);
  else if (typeof v === 'bigint') text = (v <= BigInt(Number.MAX_SAFE_INTEGER) ? def?.valueNames.get(Number(v)) : undefined) ?? String(v);
  else if (def === undefined || def.kind === Kind.String || def.kind === Kind.Octets) text = quote(v);
  else text = v;
  return `${name} = ${text}`;
}

function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\${c.toString(8).padStart(3, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}

// ---------------------------------------------------------------------------------------------------------------
// Addresses (no regular expressions: these run per attribute)

function formatIPv4(b: Buffer, off: number): string {
  return `${b[off] as number}.${b[off + 1] as number}.${b[off + 2] as number}.${b[off + 3] as number}`;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`; ::ffff:a.b.c.d. */
function formatIPv6(b: Buffer, off: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(b.readUInt16BE(off + i * 2));
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${formatIPv4(b, off + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart === -1) return groups.map((g) => g.toString(16)).join(':');
  const head = groups.slice(0, bestStart).map((g) => g.toString(16)).join(':');
  const tail = groups.slice(bestStart + bestLen).map((g) => g.toString(16)).join(':');
  return `${head}::${tail}`;
}

function hex2(n: number): string {
  return n < 16 ? `0${n.toString(16)}` : n.toString(16);
}

function formatIfId(b: Buffer): string {
  return `${hex2(b[0] as number)}${hex2(b[1] as number)}:${hex2(b[2] as number)}${hex2(b[3] as number)}:${hex2(b[4] as number)}${hex2(b[5] as number)}:${hex2(b[6] as number)}${hex2(b[7] as number)}`;
}

function formatEther(b: Buffer): string {
  return `${hex2(b[0] as number)}:${hex2(b[1] as number)}:${hex2(b[2] as number)}:${hex2(b[3] as number)}:${hex2(b[4] as number)}:${hex2(b[5] as number)}`;
}

/** Dotted quad into buf[off..off+4); false unless exactly four decimal octets 0..255. */
function parseIPv4(s: string, buf: Buffer, off: number): boolean {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || value > 255 || part > 3) return false;
      buf[off + part] = value;
      part++;
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39 && digits < 3) {
      value = value * 10 + (c - 0x30);
      digits++;
    } else {
      return false;
    }
  }
  return part === 4;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

/** IPv6 text (with `::` and a trailing dotted quad) into buf[off..off+16). */
function parseIPv6(s: string, buf: Buffer, off: number): boolean {
  const gap = s.indexOf('::');
  if (gap !== -1 && s.indexOf('::', gap + 1) !== -1) return false;
  const head = gap === -1 ? s : s.slice(0, gap);
  const tail = gap === -1 ? '' : s.slice(gap + 2);
  const headGroups: number[] = [];
  const tailGroups: number[] = [];
  if (!parseGroups(head, headGroups, gap === -1 || tail === '')) return false;
  if (gap !== -1 && !parseGroups(tail, tailGroups, true)) return false;
  const total = headGroups.length + tailGroups.length;
  if (gap === -1 ? total !== 8 : total > 7) return false;
  buf.fill(0, off, off + 16);
  headGroups.forEach((g, i) => buf.writeUInt16BE(g, off + i * 2));
  const tailStart = 8 - tailGroups.length;
  tailGroups.forEach((g, i) => buf.writeUInt16BE(g, off + (tailStart + i) * 2));
  return true;
}

/** Colon-separated hex groups; the last may be a dotted quad when `allowV4`. Empty text is zero groups. */
function parseGroups(text: string, out: number[], allowV4: boolean): boolean {
  if (text === '') return true;
  const parts = text.split(':');
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p] as string;
    if (allowV4 && p === parts.length - 1 && part.includes('.')) {
      const v4 = Buffer.allocUnsafe(4);
      if (!parseIPv4(part, v4, 0)) return false;
      out.push(v4.readUInt16BE(0), v4.readUInt16BE(2));
      continue;
    }
    if (part.length === 0 || part.length > 4) return false;
    let g = 0;
    for (let i = 0; i < part.length; i++) {
      const h = hexValue(part.charCodeAt(i));
      if (h < 0) return false;
      g = g * 16 + h;
    }
    out.push(g);
  }
  return true;
}

/**
 * `size` octets from hex text: groups of `groupDigits` digits separated by `sep`, or bare hex digits.
 * Groups may be shorter (leading zeros dropped, as FreeRADIUS prints interface ids).
 */
function parseHexGroups(s: string, buf: Buffer, off: number, size: number, sep: string, groupDigits: number): boolean {
  const parts = s.includes(sep) ? s.split(sep) : undefined;
  if (parts === undefined) {
    if (s.length !== size * 2) return false;
    for (let i = 0; i < size; i++) {
      const hi = hexValue(s.charCodeAt(i * 2));
      const lo = hexValue(s.charCodeAt(i * 2 + 1));
      if (hi < 0 || lo < 0) return false;
      buf[off + i] = hi * 16 + lo;
    }
    return true;
  }
  const groupBytes = groupDigits / 2;
  if (parts.length * groupBytes !== size) return false;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p] as string;
    if (part.length === 0 || part.length > groupDigits) return false;
    let g = 0;
    for (let i = 0; i < part.length; i++) {
      const h = hexValue(part.charCodeAt(i));
      if (h < 0) return false;
      g = g * 16 + h;
    }
    buf.writeUIntBE(g, off + p * groupBytes, groupBytes);
  }
  return true;
}

/** `aa:bb:cc:dd:ee:ff`, `aa-bb-cc-dd-ee-ff` or `aabbccddeeff`. */
function parseEther(s: string, buf: Buffer, off: number): boolean {
  if (s.includes('-')) return parseHexGroups(s, buf, off, 6, '-', 2);
  return parseHexGroups(s, buf, off, 6, ':', 2);
}
