/**
 * Encoding typed attributes (see attributes.ts for the naming of raw attributes and the tag rules): one wire
 * attribute per value, or several where the type allows a split (`concat`, RFC 6929 long extended).
 */
import { randomBytes } from 'node:crypto';
import * as attributes from './attributes.js';
import type { Attribute, AttributeValue, CryptoContext } from './attributes.js';
import { Attr as Attributes } from './codes.js';
import { ascendSecret, hidePassword, hideSalted } from './crypto.js';
import { Kind as DictionaryKind, type Dictionary, type ResolvedAttributeDef, type VendorEntry } from './dictionary.js';
import { RadiusError } from './errors.js';
import { isEscapedText, textToOctets } from './octets.js';
import * as primitives from './primitives.js';
import type { RawAttribute } from './packet.js';

// Module-local copies of imported constants and functions: used per attribute, and a bundler's or test runner's
// import binding can cost a getter call per use.
const Kind = DictionaryKind;
const Attr = Attributes;
const { MAX_VALUE, TAG_MAX } = attributes;
const { isDigits, maskBits, parseEther, parseHexGroups, parseIPv4, parseIPv6, parsePrefixLength } = primitives;


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
    encodeRawName(dict, attr, out, split);
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
      // RFC 2865 §5: no attribute has an empty value; `User-Name = ""` is left out (packet.ts does the same
      // for any raw attribute list, so encodeAttribute's single result is also never sent).
      if (value.length === 0 && split) return;
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
    const buf = encodeData(def, attr, crypto, 4 + header, salts);
    if (entry.continuation && split && buf.length > MAX_VALUE) {
      pushContinued(entry, def.type, def.name, buf.subarray(4 + header), out);
      return;
    }
    out.push({ type: Attr.VendorSpecific, value: writeVsaHeader(entry, def.type, def.name, buf) });
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
    pushExtended(out, top.type, top.kind === Kind.LongExtended, parent.type, evs, data, def.name, split);
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

/**
 * A WiMAX-format (`format=1,1,c`) value too long for one VSA: one Vendor-Specific per fragment, each with the
 * continuation flag (0x80) set but the last (WiMAX Forum NWG stage 3, as FreeRADIUS does).
 */
function pushContinued(entry: VendorEntry, type: number, name: string, data: Buffer, out: RawAttribute[]): void {
  const header = 4 + vsaHeaderSize(entry);
  const room = MAX_VALUE - header;
  let off = 0;
  do {
    const chunk = data.subarray(off, off + room);
    off += chunk.length;
    const buf = Buffer.allocUnsafe(header + chunk.length);
    chunk.copy(buf, header);
    writeVsaHeader(entry, type, name, buf);
    if (off < data.length) buf[header - 1] = 0x80;
    out.push({ type: Attr.VendorSpecific, value: buf });
  } while (off < data.length);
}

/**
 * RFC 6929 extended (241..244) or long extended (245, 246, fragmented when `split`) attribute. An evs value's
 * Vendor-Id and Vendor-Type are part of the long extended Value, so they are in the first fragment only
 * (RFC 6929 §2.2, as FreeRADIUS fragments a long FreeRADIUS-802.1X-EAPoL-Key-Msg).
 */
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
  let payload = data;
  if (evs !== undefined) {
    payload = Buffer.allocUnsafe(5 + data.length);
    payload.writeUInt32BE(evs.vendorId, 0);
    payload[4] = evs.type;
    data.copy(payload, 5);
  }
  const header = long ? 2 : 1;
  const room = MAX_VALUE - header;
  if (payload.length > room && !(long && split)) throw tooLong(name, payload.length + header, MAX_VALUE);
  let off = 0;
  do {
    const chunk = payload.subarray(off, off + room);
    off += chunk.length;
    const value = Buffer.allocUnsafe(header + chunk.length);
    value[0] = extType;
    if (long) value[1] = off < payload.length ? 0x80 : 0;
    chunk.copy(value, header);
    out.push({ type, value });
  } while (off < payload.length);
}

/**
 * `Attr-<n>`, `Attr-241.<n>`, `Attr-241.26.<vendor>.<n>`, `Vendor-<vendor>-Attr-<n>`, `Vendor-Specific`: raw
 * octets. Long extended ones (`Attr-245.<n>`) are fragmented when `split`, like their dictionary names.
 */
function encodeRawName(dict: Dictionary, attr: Attribute, out: RawAttribute[], split: boolean): void {
  const name = attr.name;
  const lower = name.toLowerCase();
  if (lower === 'vendor-specific') {
    out.push({ type: Attr.VendorSpecific, value: checkLength(name, rawOctets(name, attr.value)) });
    return;
  }
  if (lower.startsWith('attr-')) {
    const path = parsePath(name.slice(5));
    if (path !== undefined) {
      const [a, b, c, d] = path;
      if (path.length === 1 && a !== undefined && a < 256) {
        const value = checkLength(name, rawOctets(name, attr.value));
        if (value.length !== 0 || !split) out.push({ type: a, value }); // no empty attributes (RFC 2865 §5)
        return;
      }
      const isExtended = a !== undefined && a >= 241 && a <= 246;
      if (isExtended && b !== undefined && b < 256 && (path.length === 2 || (path.length === 4 && b === 26 && d !== undefined && d < 256))) {
        const evs = c !== undefined && d !== undefined ? { vendorId: c, type: d } : undefined;
        pushExtended(out, a, a >= 245, b, evs, rawOctets(name, attr.value), name, split);
        return;
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
      out.push({ type: Attr.VendorSpecific, value: writeVsaHeader(entry, type[0] as number, name, buf) });
      return;
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
      // Strings are octets in the text form of octets.ts: an escaped form (`\xHH`, `\\`) stands for its octets.
      if (typeof v === 'string' && isEscapedText(v)) return encodeData(def, { ...attr, value: textToOctets(v) }, crypto, room, salts);
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
      if (def.size !== 0 && octets.length !== def.size) throw encodeError(def.name, `is ${def.size} octets (octets[${def.size}]), got ${octets.length}`);
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
  // The value is encoded as its type first (an integer given by VALUE name is its 4 octets, not the name's
  // text), then hidden.
  const plain = Buffer.isBuffer(v)
    ? v
    : typeof v === 'string' && def.kind === Kind.String
      ? textToOctets(v)
      : encodeData({ ...def, encrypt: 0, hasTag: false }, attr, undefined, 0, undefined);
  let hidden: Buffer;
  try {
    if (def.encrypt === 1) hidden = hidePassword(plain, crypto.secret, crypto.authenticator, hiddenMax(def));
    else if (def.encrypt === 2) hidden = hideSalted(plain, crypto.secret, crypto.authenticator, uniqueSalt(salts));
    else {
      if (plain.length > 16) throw new RadiusError('RADIUS_ENCODE_VALUE', `${plain.length} octets; at most 16 can be hidden`);
      hidden = ascendSecret(plain, crypto.secret, crypto.authenticator);
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

/**
 * The most plaintext octets encrypt=1 hides for `def`: 128 for User-Password (RFC 2865 §5.2), otherwise the
 * largest multiple of 16 one attribute holds (the attribute's own header is checked by the caller).
 */
function hiddenMax(def: ResolvedAttributeDef): number {
  return def.vendorId === 0 && def.type === Attr.UserPassword && def.parent === undefined ? 128 : 240;
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

