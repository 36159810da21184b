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
 *
 * The codec is split by role: decode.ts (wire → Attribute), encode.ts (Attribute → wire), text.ts (the text form
 * of attributes for logs), primitives.ts (addresses, integers and hex text, shared by all three).
 */

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

/** Octets one attribute's value holds (RFC 2865 §5). */
export const MAX_VALUE = 253;
/** The highest RFC 2868 tag; a first octet above it is data, not a tag. */
export const TAG_MAX = 0x1f;
