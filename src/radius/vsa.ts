/**
 * Fast access to RFC 2865 §5.26 Vendor-Specific attributes in the common format (1-octet type, 1-octet
 * length: Microsoft, MikroTik, Cisco, …) without a dictionary, for the few the hot path needs.
 */
import { Attr } from './codes.js';
import type { RawAttribute, RawPacket } from './packet.js';

/** The value of the first sub-attribute `type` of `vendorId` in any Vendor-Specific attribute, or undefined. */
export function findVendorAttribute(packet: RawPacket, vendorId: number, type: number): Buffer | undefined {
  for (const a of packet.attributes) {
    if (a.type !== Attr.VendorSpecific || a.value.length < 6 || a.value.readUInt32BE(0) !== vendorId) continue;
    let off = 4;
    const v = a.value;
    while (off + 2 <= v.length) {
      const t = v[off] as number;
      const len = v[off + 1] as number;
      if (len < 2 || off + len > v.length) break;
      if (t === type) return v.subarray(off + 2, off + len);
      off += len;
    }
  }
  return undefined;
}

/** One Vendor-Specific attribute carrying one sub-attribute in the 1,1 format. */
export function vendorAttribute(vendorId: number, type: number, value: Buffer): RawAttribute {
  const buf = Buffer.allocUnsafe(6 + value.length);
  buf.writeUInt32BE(vendorId, 0);
  buf[4] = type;
  buf[5] = value.length + 2;
  value.copy(buf, 6);
  return { type: Attr.VendorSpecific, value: buf };
}

export const Vendor = { Microsoft: 311 } as const;

/** RFC 2548 attribute numbers used by MS-CHAPv2. */
export const MsAttr = {
  CHAPError: 2,
  MPPEEncryptionPolicy: 7,
  MPPEEncryptionTypes: 8,
  CHAPChallenge: 11,
  MPPESendKey: 16,
  MPPERecvKey: 17,
  CHAP2Response: 25,
  CHAP2Success: 26,
} as const;
