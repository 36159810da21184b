import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getAsymmetricStartKey, getMasterKey, mppeMasterKeys } from '../../../src/auth/mppe.js';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 3079 §3.5.3 sample key derivation (UserName "User", Password "clientPass", the RFC 2759 §9.2
// challenges), 128-bit case, retyped.
const passwordHash = h('44 EB BA 8D 53 12 B8 D6 11 47 44 11 F5 69 89 AE');
const passwordHashHash = h('41 C0 0C 58 4B D2 D9 1C 40 17 A2 A1 2F A5 9F 3F');
const ntResponse = h('82 30 9E CD 8D 70 8B 5E A0 8F AA 39 81 CD 83 54 42 33 11 4A 3D 85 D6 DF');
const masterKey = h('FD EC E3 71 7A 8C 83 8C B3 88 E5 27 AE 3C DD 31');
const sendStartKey128 = h('8B 7C DC 14 9B 99 3A 1B A1 18 CB 15 3F 56 DC CB');
const sendSessionKey128 = h('40 5C B2 24 7A 79 56 E6 E2 11 00 7A E2 7B 22 D4');
// Not printed in RFC 3079, which shows only the server's send side: the Magic2 key for the same MasterKey.
// Android's EAP-MSCHAPv2 peer tests carry the same bytes as the peer's send key ("generated based on
// RFC 3079#3.5.3 params"), and so does a FreeRADIUS-compatible MSK check (Recv | Send | 32 zeros).
const receiveStartKey128 = h('D5 F0 E9 52 1E 3E A9 58 96 45 E8 60 51 C8 22 26');

describe('RFC 3079 §3.5.3 MPPE 128-bit keys', () => {
  it('GetMasterKey', () => {
    expect(getMasterKey(passwordHashHash, ntResponse)).toEqual(masterKey);
  });

  it('SendStartKey128 is GetAsymmetricStartKey(IsSend, IsServer), which the client derives as its receive key', () => {
    expect(getAsymmetricStartKey(masterKey, true, true)).toEqual(sendStartKey128);
    expect(getAsymmetricStartKey(masterKey, false, false)).toEqual(sendStartKey128);
  });

  it('the server receive key equals the client send key', () => {
    expect(getAsymmetricStartKey(masterKey, false, true)).toEqual(receiveStartKey128);
    expect(getAsymmetricStartKey(masterKey, true, false)).toEqual(receiveStartKey128);
  });

  // Checks the retyped vector chain: GetNewKeyFromSHA (RFC 3078 §7.3, done by the NAS, not by us) of the
  // start key gives the RFC's SendSessionKey128.
  it('SendStartKey128 leads to the printed SendSessionKey128', () => {
    const session = createHash('sha1')
      .update(sendStartKey128)
      .update(Buffer.alloc(40, 0x00))
      .update(sendStartKey128)
      .update(Buffer.alloc(40, 0xf2))
      .digest()
      .subarray(0, 16);
    expect(session).toEqual(sendSessionKey128);
  });
});

describe('mppeMasterKeys (FreeRADIUS rlm_mschap mapping)', () => {
  it('MS-MPPE-Send-Key is the server send key (Magic3), MS-MPPE-Recv-Key the server receive key (Magic2)', () => {
    const keys = mppeMasterKeys(passwordHash, ntResponse);
    expect(keys.masterKey).toEqual(masterKey);
    expect(keys.sendKey).toEqual(sendStartKey128);
    expect(keys.recvKey).toEqual(receiveStartKey128);
  });
});
