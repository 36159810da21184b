import { describe, expect, it } from 'vitest';
import {
  challengeHash,
  challengeResponse,
  generateAuthenticatorResponse,
  generateNtResponse,
  hashNtPasswordHash,
  ntPasswordHash,
  stripNtDomain,
  verifyMsChapV2,
  type MsChapV2Result,
} from '../../../src/auth/mschapv2.js';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 2759 §9.2 "Hash Example", retyped.
const userName = 'User';
const password = 'clientPass';
const authenticatorChallenge = h('5B 5D 7C 7D 7B 3F 2F 3E 3C 2C 60 21 32 26 26 28');
const peerChallenge = h('21 40 23 24 25 5E 26 2A 28 29 5F 2B 3A 33 7C 7E');
const challenge = h('D0 2E 43 86 BC E9 12 26');
const passwordHash = h('44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE');
const passwordHashHash = h('41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F');
const ntResponse = h('82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF');
const authenticatorResponse = 'S=407A5589115FD0D6209F510FE9C04566932CDA56';

// MS-CHAP2-Response value (RFC 2548 §2.3.2) a NAS would forward for that exchange; the RFC gives no
// Ident, 0x2a is ours.
const IDENT = 0x2a;
const response = Buffer.concat([Buffer.of(IDENT, 0x00), peerChallenge, Buffer.alloc(8), ntResponse]);

const ERROR_TEXT = /^E=691 R=0 C=[0-9a-f]{32} V=3 M=Authentication failed$/;

function expectFailure(result: MsChapV2Result, reason: 'bad-format' | 'bad-response', ident: number): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.reason).toBe(reason);
  expect(result.ident).toBe(ident);
  expect(result.error.readUInt8(0)).toBe(ident);
  expect(result.error.subarray(1).toString('ascii')).toMatch(ERROR_TEXT);
}

describe('RFC 2759 §9.2 hash example', () => {
  it('NtPasswordHash("clientPass") — UTF-16LE then MD4', () => {
    expect(ntPasswordHash(password)).toEqual(passwordHash);
  });

  it('HashNtPasswordHash', () => {
    expect(hashNtPasswordHash(passwordHash)).toEqual(passwordHashHash);
  });

  it('ChallengeHash', () => {
    expect(challengeHash(peerChallenge, authenticatorChallenge, userName)).toEqual(challenge);
  });

  it('ChallengeResponse and GenerateNTResponse', () => {
    expect(challengeResponse(challenge, passwordHash)).toEqual(ntResponse);
    expect(generateNtResponse(authenticatorChallenge, peerChallenge, userName, passwordHash)).toEqual(ntResponse);
  });

  it('GenerateAuthenticatorResponse', () => {
    const generated = generateAuthenticatorResponse(
      passwordHash,
      ntResponse,
      peerChallenge,
      authenticatorChallenge,
      userName,
    );
    expect(generated).toBe(authenticatorResponse);
  });
});

describe('cross-checks against FreeRADIUS 3.2.1 tools on this machine', () => {
  // `smbencrypt clientPass hello password` prints these NT hashes.
  it.each([
    ['clientPass', '44EBBA8D5312B8D611474411F56989AE'],
    ['hello', '066DDFD4EF0E9CD7C256FE77191EF43C'],
    ['password', '8846F7EAEE8FB117AD06BDD830B7586C'],
  ])('smbencrypt: NT hash of %s', (pw, nt) => {
    expect(ntPasswordHash(pw)).toEqual(h(nt));
  });

  // `radtest -t mschap bob hello ...` sends MS-CHAP v1 (not v2): MS-CHAP-Challenge a42d48ef17ea4522 and an
  // MS-CHAP-Response whose NT-Response is ChallengeResponse(challenge, NtPasswordHash("hello")). This checks
  // the DES step against an independent implementation.
  it('radclient MS-CHAPv1 NT-Response for bob/hello', () => {
    expect(challengeResponse(h('a42d48ef17ea4522'), ntPasswordHash('hello'))).toEqual(
      h('b290c228a947bc779116489ffba143940b6855e2bedc778c'),
    );
  });
});

describe('verifyMsChapV2', () => {
  const request = { userName, authenticatorChallenge, response };

  it('accepts the RFC 2759 example and answers with MS-CHAP2-Success and MPPE keys', () => {
    const result = verifyMsChapV2(request, passwordHash);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ident).toBe(IDENT);
    expect(result.success).toHaveLength(43);
    expect(result.success.readUInt8(0)).toBe(IDENT);
    expect(result.success.subarray(1).toString('ascii')).toBe(authenticatorResponse);
    // RFC 3079 §3.5.3 SendStartKey128 is the server's send key (see mppe.test.ts).
    expect(result.sendKey).toEqual(h('8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB'));
    expect(result.recvKey).toEqual(h('D5 F0 E9 52 1E 3E A9 58 96 45 E8 60 51 C8 22 26'));
  });

  it('strips a leading DOMAIN\\ from the User-Name before hashing', () => {
    expect(stripNtDomain('EXAMPLE\\User')).toBe('User');
    expect(stripNtDomain('User')).toBe('User');
    expect(stripNtDomain('A\\B\\User')).toBe('B\\User');
    const result = verifyMsChapV2({ ...request, userName: 'EXAMPLE\\User' }, passwordHash);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.success.subarray(1).toString('ascii')).toBe(authenticatorResponse);
  });

  it('rejects the example with any single bit of the NT-Response changed', () => {
    for (let bit = 0; bit < 24 * 8; bit++) {
      const bad = Buffer.from(response);
      const at = 26 + (bit >> 3);
      bad.writeUInt8(bad.readUInt8(at) ^ (1 << (bit & 7)), at);
      expectFailure(verifyMsChapV2({ ...request, response: bad }, passwordHash), 'bad-response', IDENT);
    }
  });

  it('rejects a changed peer challenge, authenticator challenge, user name or password', () => {
    const badPeer = Buffer.from(response);
    badPeer.writeUInt8(badPeer.readUInt8(2) ^ 0x80, 2);
    expectFailure(verifyMsChapV2({ ...request, response: badPeer }, passwordHash), 'bad-response', IDENT);

    const badChallenge = Buffer.from(authenticatorChallenge);
    badChallenge.writeUInt8(badChallenge.readUInt8(15) ^ 0x01, 15);
    const withBadChallenge = { ...request, authenticatorChallenge: badChallenge };
    expectFailure(verifyMsChapV2(withBadChallenge, passwordHash), 'bad-response', IDENT);

    expectFailure(verifyMsChapV2({ ...request, userName: 'user' }, passwordHash), 'bad-response', IDENT);
    expectFailure(verifyMsChapV2(request, ntPasswordHash('clientpass')), 'bad-response', IDENT);
  });

  it('sends a fresh challenge in every MS-CHAP-Error', () => {
    const bad = Buffer.from(response);
    bad.writeUInt8(bad.readUInt8(49) ^ 0x01, 49);
    const first = verifyMsChapV2({ ...request, response: bad }, passwordHash);
    const second = verifyMsChapV2({ ...request, response: bad }, passwordHash);
    if (first.ok || second.ok) throw new Error('expected failures');
    expect(first.error.equals(second.error)).toBe(false);
  });

  it.each([
    ['response of 49 octets', { response: response.subarray(0, 49) }, passwordHash, IDENT],
    ['response of 51 octets', { response: Buffer.concat([response, Buffer.of(0)]) }, passwordHash, IDENT],
    ['empty response', { response: Buffer.alloc(0) }, passwordHash, 0],
    ['challenge of 15 octets', { authenticatorChallenge: authenticatorChallenge.subarray(0, 15) }, passwordHash, IDENT],
    ['challenge of 17 octets', { authenticatorChallenge: Buffer.alloc(17) }, passwordHash, IDENT],
    ['NT hash of 15 octets', {}, passwordHash.subarray(0, 15), IDENT],
  ])('gives bad-format for a %s, without throwing', (_name, change, ntHash, ident) => {
    expectFailure(verifyMsChapV2({ ...request, ...change }, ntHash), 'bad-format', ident);
  });
});
