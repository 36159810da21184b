/**
 * MPPE keys from an MS-CHAPv2 authentication (RFC 3079 §3.3–3.4, 128-bit), as FreeRADIUS 3.2 rlm_mschap
 * derives them for MS-MPPE-Send-Key / MS-MPPE-Recv-Key (RFC 2548 §2.4.2–2.4.3). The keys returned here are
 * plain; hiding them in the attribute (salt + MD5 chain) is the RADIUS codec's job.
 */
import { createHash } from 'node:crypto';
import { md4 } from './md4.js';

const MASTER_MAGIC = Buffer.from('This is the MPPE Master Key', 'ascii');
// Magic2 and Magic3 of RFC 3079 §3.4; their text says which side uses them for what.
const CLIENT_SEND_SERVER_RECEIVE = Buffer.from(
  'On the client side, this is the send key; on the server side, it is the receive key.',
  'ascii',
);
const CLIENT_RECEIVE_SERVER_SEND = Buffer.from(
  'On the client side, this is the receive key; on the server side, it is the send key.',
  'ascii',
);
const SHS_PAD1 = Buffer.alloc(40, 0x00);
const SHS_PAD2 = Buffer.alloc(40, 0xf2);

/** GetMasterKey (RFC 3079 §3.4): SHA1(PasswordHashHash + NT-Response + Magic1), first 16 octets. */
export function getMasterKey(passwordHashHash: Buffer, ntResponse: Buffer): Buffer {
  return createHash('sha1').update(passwordHashHash).update(ntResponse).update(MASTER_MAGIC).digest().subarray(0, 16);
}

/**
 * GetAsymmetricStartKey (RFC 3079 §3.4) for a 128-bit key; 40- and 56-bit keys are the first 8 octets.
 * The server's send key and the client's receive key are the same (Magic3), and the other way round (Magic2).
 */
export function getAsymmetricStartKey(masterKey: Buffer, isSend: boolean, isServer: boolean): Buffer {
  const magic = isSend === isServer ? CLIENT_RECEIVE_SERVER_SEND : CLIENT_SEND_SERVER_RECEIVE;
  return createHash('sha1').update(masterKey).update(SHS_PAD1).update(magic).update(SHS_PAD2).digest().subarray(0, 16);
}

export interface MppeMasterKeys {
  readonly masterKey: Buffer;
  /** The value for MS-MPPE-Send-Key: the server's MasterSendKey (Magic3), the client's receive key. */
  readonly sendKey: Buffer;
  /** The value for MS-MPPE-Recv-Key: the server's MasterReceiveKey (Magic2), the client's send key. */
  readonly recvKey: Buffer;
}

/**
 * Server-side 128-bit MPPE master keys from the user's NT hash and the peer's NT-Response.
 * The mapping is FreeRADIUS rlm_mschap's: mppe_chap2_get_keys128 puts GetAsymmetricStartKey(issend=1), i.e.
 * Magic3, into MS-MPPE-Send-Key and issend=0 (Magic2) into MS-MPPE-Recv-Key. The attributes are named from the
 * NAS's side, the authenticator (Microsoft's [MS-CHAP] open specification: "on an Authenticator
 * MS-MPPE-Send-Key = MasterSendKey"), so the NAS encrypts with Send-Key and the client, deriving the same bytes
 * as its receive key, decrypts. Swapped keys still authenticate but leave neither end able to read the other's
 * MPPE traffic, so the mapping is pinned by a test.
 */
export function mppeMasterKeys(ntHash: Buffer, ntResponse: Buffer): MppeMasterKeys {
  const masterKey = getMasterKey(md4(ntHash), ntResponse);
  return {
    masterKey,
    sendKey: getAsymmetricStartKey(masterKey, true, true),
    recvKey: getAsymmetricStartKey(masterKey, false, true),
  };
}
