import { bench, describe } from 'vitest';
import { Code, decodeAttributes, Dictionary, encodeAttributes, encodeReply, encodeRequest, parsePacket, verifyMessageAuthenticator, type Attribute } from '../src/radius/index.js';
const dict = Dictionary.loadFiles(['dictionaries/dictionary']);
const secret = Buffer.from('a-16+char-secret-for-bench');
const authenticator = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
const reqAttrs: Attribute[] = [
  { name: 'User-Name', value: 'subscriber-000123' }, { name: 'User-Password', value: 'password-000123' },
  { name: 'NAS-IP-Address', value: '10.20.30.40' }, { name: 'NAS-Port', value: 15728641 },
  { name: 'Called-Station-Id', value: 'pppoe-bras-1' }, { name: 'Calling-Station-Id', value: '00:11:22:33:44:55' },
  { name: 'Framed-Protocol', value: 'PPP' }, { name: 'Service-Type', value: 'Framed-User' }, { name: 'NAS-Identifier', value: 'bras-1.example.net' }];
const request = encodeRequest(1, 42, encodeAttributes(dict, reqAttrs, { secret, authenticator }), secret, { messageAuthenticator: true, authenticator });
const replyAttributes: Attribute[] = [{ name: 'Mikrotik-Rate-Limit', value: '10M/50M' }, { name: 'Framed-IP-Address', value: '100.64.1.23' }, { name: 'Session-Timeout', value: 86400 }];
let sink = 0;
function pair(): void {
  const packet = parsePacket(request);
  if (!verifyMessageAuthenticator(packet, secret, null)) throw new Error('MA');
  const attrs = decodeAttributes(dict, packet.attributes, { secret, authenticator: packet.authenticator });
  const reply = encodeReply(Code.AccessAccept, packet.identifier, packet.authenticator, encodeAttributes(dict, replyAttributes), secret, { messageAuthenticator: true });
  sink += attrs.length + reply.length;
}
describe('x', () => {
  bench('1 pair', pair);
  bench('100 pairs', () => { for (let i = 0; i < 100; i++) pair(); });
  bench('empty', () => { sink++; });
});
