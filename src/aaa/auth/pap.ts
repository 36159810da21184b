/**
 * PAP (RFC 2865 §5.2): the User-Password the NAS sent, already unhidden, against the stored cleartext.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * True when `given` equals `cleartext`, compared in constant time.
 * An empty password on either side never matches: FreeRADIUS rejects an empty User-Password too, and an
 * empty stored password means none is set, not "anything goes".
 */
export function verifyPap(given: Buffer, cleartext: Buffer): boolean {
  if (given.length === 0 || cleartext.length === 0) return false;
  // timingSafeEqual needs equal lengths. Comparing fixed-size digests instead keeps the time independent of
  // where the passwords differ and of whether their lengths differ; only hashing time follows the lengths.
  const same = timingSafeEqual(sha256(given), sha256(cleartext));
  return same && given.length === cleartext.length;
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}
