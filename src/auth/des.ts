/**
 * MS-CHAP's DesEncrypt (RFC 2759 §8.6): DES-ECB of one 8-octet block under a 7-octet (56-bit) key.
 * Node 20's OpenSSL 3 keeps single DES in the legacy provider ('des-ecb' throws), but two-key triple DES with
 * both keys equal computes E(K, D(K, E(K, x))) = E(K, x), which is DES itself, and 'des-ede-ecb' is in the
 * default provider.
 */
import { createCipheriv } from 'node:crypto';

/** Encrypt the 8-octet `block` under the 56-bit key `key7` (7 octets). */
export function desEncrypt(key7: Buffer, block: Buffer): Buffer {
  if (key7.length !== 7 || block.length !== 8) {
    throw new RangeError(`DES needs a 7-octet key and an 8-octet block, got ${key7.length} and ${block.length}`);
  }
  const key = expandKey(key7);
  const cipher = createCipheriv('des-ede-ecb', Buffer.concat([key, key]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
}

/**
 * Spread the 56 key bits over 8 octets, 7 bits in the top of each; DES ignores the low (parity) bit, so it is
 * left 0 rather than set to odd parity as RFC 2759's reference code does.
 */
function expandKey(key7: Buffer): Buffer {
  const out = Buffer.allocUnsafe(8);
  for (let i = 0; i < 8; i++) {
    const high = i > 0 ? key7.readUInt8(i - 1) << (8 - i) : 0;
    const low = i < 7 ? key7.readUInt8(i) >> i : 0;
    out.writeUInt8((high | low) & 0xfe, i);
  }
  return out;
}
