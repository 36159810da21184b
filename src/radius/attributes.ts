/**
 * Typed attributes on top of packet.ts: dictionary-driven decoding and encoding of values, tags (RFC 2868 §3),
 * hidden values (RFC 2865 §5.2, RFC 2868 §3.5, RFC 2548 §2.4, Ascend-Send-Secret), Vendor-Specific in every
 * FreeRADIUS vendor format, and RFC 6929 extended attributes.
 *
 * Decoding never throws on a packet parsePacket accepted: whatever does not fit its dictionary type becomes a
 * raw attribute with a Buffer value, named as FreeRADIUS names unknown attributes (`Attr-<n>`,
 * `Vendor-<vendorId>-Attr-<n>`, `Attr-241.<n>`), and those names encode back to the same bytes.
 * Decoded Buffers are views into the packet (no copy).
 */
import { createHash, randomBytes } from 'node:crypto';
import { Attr } from './codes.js';
import { hidePassword, hideSalted, unhidePassword, unhideSalted } from './crypto.js';
import { Kind, type Dictionary, type KindNumber, type ResolvedAttributeDef, type VendorEntry } from './dictionary.js';
import { RadiusError } from './errors.js';
import type { RawAttribute } from './packet.js';
import { formatEther, formatIfId, formatIPv4, formatIPv6, parseEther, parseIfId, parseIPv4, parseIPv6 } from './addresses.js';

export type AttributeValue = string | number | bigint | Buffer;

export interface Attribute {
  readonly name: string;
  readonly value: AttributeValue;
  /** RFC 2868 tag, 1..31; absent when the attribute has none (tag 0). */
  readonly tag?: number;
}

/**
 * What hidden attributes are keyed with. `authenticator` is the Request Authenticator of the request: of this
 * packet for Access-Request; of the request answered for a reply (RFC 2868 §3.5, RFC 2548 §2.4.2).
 */
export interface CryptoContext {
  readonly secret: Buffer;
  readonly authenticator: Buffer;
}

const MAX_VALUE = 253;
const TAG_MAX = 0x1f;
const STD_RAW_NAMES: readonly string[] = Array.from({ length: 256 }, (_, i) => `Attr-${i}`);

// ---------------------------------------------------------------------------------------------------------------
// Decoding

/**
 * Decode a packet's attributes in wire order. Consecutive `concat` attributes (EAP-Message) are joined, RFC 6929
 * long extended fragments are reassembled, every sub-attribute of a Vendor-Specific is returned. Without a
 * CryptoContext, hidden attributes keep their name and carry the raw wire Buffer.
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
      out.push({ name: STD_RAW_NAMES[type] ?? `Attr-${type}`, value: raw.value });
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
    if (!decodeInto(def, value, crypto, out)) out.push({ name: def.name, value, ...rawMarker }), out.pop(), out.push({ name: STD_RAW_NAMES[type] ?? `Attr-${type}`, value });
  }
  return out;
}
