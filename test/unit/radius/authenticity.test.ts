/** The checks made before any attribute is trusted, each refusal under its RadiusError code. */
import { describe, expect, it } from 'vitest';
import { requestProblem } from '../../../src/radius/authenticity.js';
import { Attr, Code } from '../../../src/radius/codes.js';
import { encodeRequest } from '../../../src/radius/crypto.js';
import { parsePacket, type RawAttribute } from '../../../src/radius/packet.js';

const secret = Buffer.from('authenticity-secret');
const lenient = { secret, requireMessageAuthenticator: false, limitProxyState: false };
const strict = { secret, requireMessageAuthenticator: true, limitProxyState: true };
const a = (type: number, text: string): RawAttribute => ({ type, value: Buffer.from(text) });
const user = a(Attr.UserName, 'alice');
const password = { type: Attr.UserPassword, value: Buffer.alloc(16, 1) };

function request(code: number, attrs: RawAttribute[], messageAuthenticator: boolean, sign = secret) {
  return parsePacket(encodeRequest(code, 1, attrs, sign, { messageAuthenticator }));
}

describe('requestProblem', () => {
  it('accepts well-formed requests on their port', () => {
    expect(requestProblem('auth', lenient, request(Code.AccessRequest, [user, password], false))).toBeNull();
    expect(requestProblem('auth', strict, request(Code.AccessRequest, [user, password], true))).toBeNull();
    expect(requestProblem('acct', lenient, request(Code.AccountingRequest, [user], false))).toBeNull();
    expect(requestProblem('acct', lenient, request(Code.AccountingRequest, [user], true))).toBeNull();
    expect(requestProblem('acct', lenient, request(Code.StatusServer, [], true))).toBeNull();
  });

  it.each([
    ['Access-Request on the accounting port', 'acct', lenient, () => request(Code.AccessRequest, [user, password], true), 'RADIUS_UNKNOWN_CODE'],
    ['Accounting-Request on the auth port', 'auth', lenient, () => request(Code.AccountingRequest, [user], false), 'RADIUS_UNKNOWN_CODE'],
    ['a CoA-Request to the server', 'auth', lenient, () => request(Code.CoARequest, [user], false), 'RADIUS_UNKNOWN_CODE'],
    ['EAP with a password', 'auth', lenient, () => request(Code.AccessRequest, [user, password, a(Attr.EAPMessage, 'x')], true), 'RADIUS_EAP_WITH_PASSWORD'],
    ['Status-Server without Message-Authenticator', 'auth', lenient, () => request(Code.StatusServer, [], false), 'RADIUS_MISSING_MESSAGE_AUTHENTICATOR'],
    ['EAP without Message-Authenticator', 'auth', lenient, () => request(Code.AccessRequest, [user, a(Attr.EAPMessage, 'x')], false), 'RADIUS_MISSING_MESSAGE_AUTHENTICATOR'],
    ['require_message_authenticator', 'auth', strict, () => request(Code.AccessRequest, [user, password], false), 'RADIUS_MISSING_MESSAGE_AUTHENTICATOR'],
    ['limit_proxy_state', 'auth', { ...lenient, limitProxyState: true }, () => request(Code.AccessRequest, [user, password, a(Attr.ProxyState, 'p')], false), 'RADIUS_PROXY_STATE_WITHOUT_MA'],
    ['a Message-Authenticator with another secret', 'auth', lenient, () => request(Code.AccessRequest, [user, password], true, Buffer.from('other')), 'RADIUS_BAD_MESSAGE_AUTHENTICATOR'],
    ['an Accounting-Request with another secret', 'acct', lenient, () => request(Code.AccountingRequest, [user], false, Buffer.from('other')), 'RADIUS_BAD_AUTHENTICATOR'],
  ] as const)('%s: %s', (_what, role, policy, packet, code) => {
    expect(requestProblem(role, policy, packet())).toBe(code);
  });
});
