/**
 * The operators' credentials (src/domain/credentials.ts): scrypt hashes in their stored format, RFC 6238 TOTP
 * against the SHA-1 rows of its appendix B, codes used once, base32, API token texts; and the sign-in throttle's
 * sliding window (src/http/api/security.ts) on a fake clock.
 */
import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  formatApiToken,
  hashPassword,
  hotp,
  isPasswordHash,
  newTotpSecret,
  parseApiToken,
  randomSecret,
  totpStep,
  totpUri,
  verifyPassword,
  verifyTotp,
} from '../../../src/domain/credentials.js';
import { redactSecrets } from '../../../src/domain/operators.js';
import { LoginThrottle } from '../../../src/http/api/security.js';

describe('password hashes (scrypt)', () => {
  it('stores scrypt$N$r$p$salt$hash with the documented parameters and a fresh salt each time', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{86}$/);
    expect(a).not.toBe(b);
    expect(isPasswordHash(a)).toBe(true);
  });

  it('verifies the password and nothing else; an unknown operator or a malformed hash is false', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
    expect(await verifyPassword('correct horse battery', undefined)).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1$1$1$AA$AA')).toBe(false);
    expect(isPasswordHash('plain')).toBe(false);
  });

  it('verifies a hash made with other (lower) parameters: they are read from the stored value', async () => {
    // scrypt(password="password", salt="NaCl", N=1024, r=8, p=16, 64) — RFC 7914 §12.
    const salt = Buffer.from('NaCl').toString('base64url');
    const key = Buffer.from(
      'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
      'hex',
    ).toString('base64url');
    const stored = `scrypt$1024$8$16$${salt}$${key}`;
    expect(await verifyPassword('password', stored)).toBe(true);
    expect(await verifyPassword('Password', stored)).toBe(false);
  });
});

describe('TOTP (RFC 6238, SHA-1)', () => {
  // Appendix B: the seed is the ASCII of "12345678901234567890"; 8-digit codes.
  const seed = Buffer.from('12345678901234567890', 'ascii');
  const vectors: [number, string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];

  it.each(vectors)('at T=%i the code is %s', (time, code) => {
    expect(hotp(seed, totpStep(time), 8)).toBe(code);
  });

  it('accepts the code of now and of one step either side, once each; a later code only after an earlier one', () => {
    const secret = base32Encode(seed);
    const t = 1111111111;
    const now = totpStep(t);
    const code = (step: number) => hotp(seed, step);
    expect(verifyTotp(secret, code(now), t, null)).toBe(now);
    expect(verifyTotp(secret, code(now - 1), t, null)).toBe(now - 1);
    expect(verifyTotp(secret, code(now + 1), t, null)).toBe(now + 1);
    expect(verifyTotp(secret, code(now - 2), t, null)).toBeUndefined();
    expect(verifyTotp(secret, code(now + 2), t, null)).toBeUndefined();
    // Used once: the step recorded, the same code (or an older one) fails.
    expect(verifyTotp(secret, code(now), t, now)).toBeUndefined();
    expect(verifyTotp(secret, code(now - 1), t, now)).toBeUndefined();
    expect(verifyTotp(secret, code(now + 1), t, now)).toBe(now + 1);
    expect(verifyTotp(secret, '12345', t, null)).toBeUndefined();
    expect(verifyTotp(secret, 'abcdef', t, null)).toBeUndefined();
  });

  it('makes 160-bit base32 secrets and an otpauth URI authenticator apps read', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(base32Decode(base32Encode(seed))).toEqual(seed);
    expect(base32Decode('not base32!')).toBeUndefined();
    expect(totpUri('JBSWY3DPEHPK3PXP', 'alice@isp')).toBe(
      'otpauth://totp/Tollgate%3Aalice%40isp?secret=JBSWY3DPEHPK3PXP&issuer=Tollgate&algorithm=SHA1&digits=6&period=30',
    );
  });
});

describe('API token texts', () => {
  it('round-trips tg_<id>_<secret> and refuses anything else', () => {
    const secret = randomSecret();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parseApiToken(formatApiToken(42, secret))).toEqual({ id: 42, secret });
    for (const bad of ['tg_0_' + secret, 'tg_x_' + secret, `tg_42_${secret}x`, 'test-admin-token', `tg_42_${secret.slice(1)}`]) {
      expect(parseApiToken(bad), bad).toBeUndefined();
    }
  });
});

describe('redactSecrets', () => {
  it('replaces every secret key at any depth, keeps nulls and everything else', () => {
    expect(redactSecrets({ username: 'a', password: 'pw', nested: { secret: 's', ntHash: null, list: [{ radsecSecret: 'r' }] } })).toEqual({
      username: 'a',
      password: '[redacted]',
      nested: { secret: '[redacted]', ntHash: null, list: [{ radsecSecret: '[redacted]' }] },
    });
  });
});

describe('LoginThrottle', () => {
  it('locks a login after N failures in the window, says for how long, and frees it as failures age', () => {
    let now = 1_000_000;
    const t = new LoginThrottle({ perLogin: 3, perAddress: 100, windowMinutes: 15 }, () => now);
    expect(t.fail('Alice', '10.0.0.1')).toBe(false);
    now += 60_000;
    expect(t.fail('alice', '10.0.0.2')).toBe(false);
    expect(t.check('ALICE', '10.0.0.3')).toBeUndefined();
    expect(t.fail('alice', '10.0.0.3')).toBe(true);
    // Locked until the first failure is 15 minutes old: 14 minutes from now.
    expect(t.check('alice', '10.0.0.9')).toBe(14 * 60);
    expect(t.check('bob', '10.0.0.9')).toBeUndefined();
    now += 14 * 60_000 + 1;
    expect(t.check('alice', '10.0.0.9')).toBeUndefined();
  });

  it('locks an address across logins, and a success clears only its login', () => {
    const now = 5_000_000;
    const t = new LoginThrottle({ perLogin: 100, perAddress: 2, windowMinutes: 1 }, () => now);
    t.fail('a', '192.0.2.1');
    expect(t.fail('b', '192.0.2.1')).toBe(true);
    expect(t.check('c', '192.0.2.1')).toBe(60);
    t.succeed('a');
    expect(t.check('c', '192.0.2.1')).toBe(60);
    expect(t.check('c', '192.0.2.2')).toBeUndefined();
  });
});
