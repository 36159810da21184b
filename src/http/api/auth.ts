/**
 * Bearer-token check in constant time: both sides are hashed first so neither the comparison nor its
 * length reveals how much of a guess was right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function createTokenCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = createHash('sha256').update(token, 'utf8').digest();
  return (authorization) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    const given = createHash('sha256').update(match?.[1] ?? '', 'utf8').digest();
    // Compare even without a match so a missing header costs the same as a wrong one.
    return timingSafeEqual(given, expected) && match !== null;
  };
}
