/**
 * Raw RADIUS packets: header + attribute list, no dictionary knowledge (layeh/radius packet.go style).
 * Parsing checks every length before reading; encoding computes the length first and allocates once.
 */
import { Attr, HEADER_LENGTH, MAX_PACKET_LENGTH, MIN_PACKET_LENGTH } from './codes.js';
import { RadiusError } from './errors.js';

/** One attribute as on the wire. `value` is a view into the packet buffer when parsed (no copy). */
export interface RawAttribute {
  readonly type: number;
  readonly value: Buffer;
}

export interface RawPacket {
  readonly code: number;
  readonly identifier: number;
  /** 16-byte Request/Response Authenticator, a view into `raw`. */
  readonly authenticator: Buffer;
  /** Attributes in wire order. */
  readonly attributes: RawAttribute[];
  /** The packet bytes, trimmed to the header's Length (octets beyond Length are padding, RFC 2865 §3). */
  readonly raw: Buffer;
  /** Byte offset in `raw` of the Message-Authenticator's 16 value bytes, or -1 when absent. */
  readonly messageAuthenticatorOffset: number;
  /**
   * Zero-length attributes (Length 2) parsePacket dropped: RFC 2865 §5 gives every attribute at least one octet
   * of value, so they are left out of `attributes` (as FreeRADIUS does) and counted here for the caller.
   */
  readonly emptyAttributes?: number;
}

/**
 * What parsePacket returns: attribute offsets are recorded while checking lengths, and the RawAttribute list
 * (one object and one Buffer view per attribute) is only built if someone asks for it. The hot path finds
 * the few attributes it needs with findAttribute/hasAttribute, which scan the offsets.
 */
class ParsedPacket implements RawPacket {
  private list: RawAttribute[] | undefined;
  private auth: Buffer | undefined;
  constructor(
    readonly raw: Buffer,
    readonly messageAuthenticatorOffset: number,
    /** Offset of each attribute's type octet, in wire order. */
    readonly offsets: readonly number[],
    readonly emptyAttributes: number,
  ) {}
  get code(): number {
    return this.raw[0] as number;
  }
  get identifier(): number {
    return this.raw[1] as number;
  }
  get authenticator(): Buffer {
    return (this.auth ??= this.raw.subarray(4, 20));
  }
  get attributes(): RawAttribute[] {
    if (!this.list) {
      const raw = this.raw;
      this.list = this.offsets.map((o) => ({ type: raw[o] as number, value: raw.subarray(o + 2, o + (raw[o + 1] as number)) }));
    }
    return this.list;
  }
  find(type: number): RawAttribute | undefined {
    const raw = this.raw;
    for (const o of this.offsets) {
      if (raw[o] === type) return { type, value: raw.subarray(o + 2, o + (raw[o + 1] as number)) };
    }
    return undefined;
  }
  value(type: number): Buffer | undefined {
    const raw = this.raw;
    for (const o of this.offsets) {
      if (raw[o] === type) return raw.subarray(o + 2, o + (raw[o + 1] as number));
    }
    return undefined;
  }
  values(type: number): Buffer[] {
    const raw = this.raw;
    const out: Buffer[] = [];
    for (const o of this.offsets) if (raw[o] === type) out.push(raw.subarray(o + 2, o + (raw[o + 1] as number)));
    return out;
  }
  has(type: number): boolean {
    const raw = this.raw;
    for (const o of this.offsets) if (raw[o] === type) return true;
    return false;
  }
}

/**
 * Parse a datagram. Throws RadiusError:
 * RADIUS_TOO_SHORT (datagram below 20 octets or below its Length field), RADIUS_BAD_LENGTH (Length < 20),
 * RADIUS_TOO_LONG (Length > 4096), RADIUS_ATTR_TOO_SHORT (attribute length < 2), RADIUS_ATTR_OVERRUN,
 * RADIUS_ATTR_TYPE_ZERO (attribute type 0 is reserved: the packet is malformed, as FreeRADIUS rejects it),
 * RADIUS_DUPLICATE_MESSAGE_AUTHENTICATOR, RADIUS_BAD_MESSAGE_AUTHENTICATOR (its length is not 18).
 * Zero-length attributes are dropped and counted in `emptyAttributes`.
 */
export function parsePacket(datagram: Buffer): RawPacket {
  if (datagram.length < MIN_PACKET_LENGTH) {
    throw new RadiusError('RADIUS_TOO_SHORT', `datagram of ${datagram.length} octets is shorter than the header`);
  }
  const length = datagram.readUInt16BE(2);
  if (length < MIN_PACKET_LENGTH) throw new RadiusError('RADIUS_BAD_LENGTH', `Length field ${length} is below 20`);
  if (length > MAX_PACKET_LENGTH) throw new RadiusError('RADIUS_TOO_LONG', `Length field ${length} is above 4096`);
  if (datagram.length < length) {
    throw new RadiusError('RADIUS_TOO_SHORT', `Length field ${length} but only ${datagram.length} octets received`);
  }
  const raw = datagram.length === length ? datagram : datagram.subarray(0, length);
  const offsets: number[] = [];
  let maOffset = -1;
  let empty = 0;
  let offset = HEADER_LENGTH;
  while (offset < length) {
    if (offset + 2 > length) throw new RadiusError('RADIUS_ATTR_OVERRUN', `attribute header at offset ${offset} runs past the packet`);
    const type = raw[offset] as number;
    const attrLength = raw[offset + 1] as number;
    if (attrLength < 2) throw new RadiusError('RADIUS_ATTR_TOO_SHORT', `attribute ${type} at offset ${offset} has length ${attrLength}`);
    const end = offset + attrLength;
    if (end > length) throw new RadiusError('RADIUS_ATTR_OVERRUN', `attribute ${type} at offset ${offset} runs past the packet`);
    if (type === 0) throw new RadiusError('RADIUS_ATTR_TYPE_ZERO', `attribute type 0 at offset ${offset}`);
    if (type === Attr.MessageAuthenticator) {
      if (maOffset !== -1) throw new RadiusError('RADIUS_DUPLICATE_MESSAGE_AUTHENTICATOR');
      if (attrLength !== 18) throw new RadiusError('RADIUS_BAD_MESSAGE_AUTHENTICATOR', `Message-Authenticator of length ${attrLength}`);
      maOffset = offset + 2;
    }
    if (attrLength === 2) {
      empty++;
      offset = end;
      continue;
    }
    offsets.push(offset);
    offset = end;
  }
  return new ParsedPacket(raw, maOffset, offsets, empty);
}

/** First attribute of a type, or undefined. */
export function findAttribute(packet: RawPacket, type: number): RawAttribute | undefined {
  if (packet instanceof ParsedPacket) return packet.find(type);
  for (const a of packet.attributes) if (a.type === type) return a;
  return undefined;
}

/** The value of the first attribute of a type (a view into the packet), or undefined: findAttribute without the wrapper. */
export function attributeValue(packet: RawPacket, type: number): Buffer | undefined {
  if (packet instanceof ParsedPacket) return packet.value(type);
  for (const a of packet.attributes) if (a.type === type) return a.value;
  return undefined;
}

/** Whether the packet has an attribute of this type. */
export function hasAttribute(packet: RawPacket, type: number): boolean {
  if (packet instanceof ParsedPacket) return packet.has(type);
  return packet.attributes.some((a) => a.type === type);
}

/** The values of every attribute of a type, in wire order (views into the packet). */
export function attributeValues(packet: RawPacket, type: number): Buffer[] {
  if (packet instanceof ParsedPacket) return packet.values(type);
  return packet.attributes.filter((a) => a.type === type).map((a) => a.value);
}

/** All attributes of a type, in wire order. */
export function findAttributes(packet: RawPacket, type: number): RawAttribute[] {
  return packet.attributes.filter((a) => a.type === type);
}

/**
 * Encoded size of an attribute list; throws RADIUS_ENCODE_VALUE for a value longer than 253 octets. Zero-length
 * values are not sent (RFC 2865 §5: every attribute has at least one octet of value; `User-Name = ""` is left
 * out, as FreeRADIUS does), here and in writeAttributes alike.
 */
export function attributesLength(attributes: readonly RawAttribute[]): number {
  let n = 0;
  for (const a of attributes) {
    const len = a.value.length;
    if (len > 253) {
      throw new RadiusError('RADIUS_ENCODE_VALUE', `attribute ${a.type} value of ${len} octets exceeds 253`);
    }
    if (len !== 0) n += 2 + len;
  }
  return n;
}

/** Write attributes at `offset`; returns the offset after them. The caller sized `buf` with attributesLength. */
export function writeAttributes(buf: Buffer, offset: number, attributes: readonly RawAttribute[]): number {
  for (const a of attributes) {
    if (a.value.length === 0) continue;
    buf[offset] = a.type;
    buf[offset + 1] = a.value.length + 2;
    a.value.copy(buf, offset + 2);
    offset += 2 + a.value.length;
  }
  return offset;
}

/**
 * Encode a packet with the given authenticator bytes (no signing: see crypto.ts for that).
 * Throws RADIUS_ENCODE_TOO_LONG above 4096 octets.
 */
export function encodePacket(code: number, identifier: number, authenticator: Buffer, attributes: readonly RawAttribute[]): Buffer {
  const length = HEADER_LENGTH + attributesLength(attributes);
  if (length > MAX_PACKET_LENGTH) throw new RadiusError('RADIUS_ENCODE_TOO_LONG', `packet of ${length} octets`);
  const buf = packetBuffer(code, identifier, length, authenticator);
  writeAttributes(buf, HEADER_LENGTH, attributes);
  return buf;
}

/**
 * A packet buffer of `length` octets with its header written: Code, Identifier, Length and the 16 octets of
 * `authenticator` (the caller signs over them where the real one is computed). The only header writer: encodePacket
 * and the signing encoders in crypto.ts use it. The attribute octets are uninitialised (allocUnsafe): the caller
 * writes all of them.
 */
export function packetBuffer(code: number, identifier: number, length: number, authenticator: Buffer): Buffer {
  const buf = Buffer.allocUnsafe(length);
  buf[0] = code;
  buf[1] = identifier;
  buf.writeUInt16BE(length, 2);
  authenticator.copy(buf, 4, 0, 16);
  return buf;
}
