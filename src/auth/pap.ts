/**
 * PAP (RFC 2865 §5.2): the User-Password the NAS sent, already unhidden, against the stored cleartext.
 */
import { timingSafeEqual } from 'node:crypto';

/** RFC 2865 §5.2: a User-Password carries at most 128 octets. */
const MAX_PASSWORD = 128;
const GIVEN = Buffer.alloc(MAX_PASSWORD);
const STORED = Buffer.alloc(MAX_PASSWORD);

/**
 * True when `given` equals `cleartext`, compared in constant time.
 * An empty password on either side never matches: FreeRADIUS rejects an empty User-Password too, and an
 * empty stored password means none is set, not "anything goes".
 */
export function verifyPap(given: Buffer, cleartext: Buffer): boolean {
  if (given.length === 0 || cleartext.length === 0) return false;
  if (given.length > MAX_PASSWORD || cleartext.length > MAX_PASSWORD) return false;
  // Both sides zero-padded to the same fixed size, so the comparison takes the same time wherever the
  // passwords differ and whatever their lengths; the lengths are compared after.
  GIVEN.fill(0);
  given.copy(GIVEN);
  STORED.fill(0);
  cleartext.copy(STORED);
  const same = timingSafeEqual(GIVEN, STORED);
  return same && given.length === cleartext.length;
}
