/**
 * Real device packets (node-radius test/captures, BSD-3, Nearbuy Systems; see test/fixtures/radius/LICENSE.captures),
 * shared secret "nearbuy". Checks from the captures' README: authenticators verify, values decode.
 */
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Dictionary } from '../../../src/radius/index.js';
import {
  decodeAttributes,
  encodeAttributes,
  parsePacket,
  verifyMessageAuthenticator,
  verifyRequestAuthenticator,
  verifyResponseAuthenticator,
  writeAttributes,
  type Attribute,
  type RawPacket,
} from '../../../src/radius/index.js';
import { PROJECT_DICTIONARY, projectDictionaryExists, testDictionary } from './test-dictionary.js';
import { loadDictionaryFiles } from '../../../src/config/dictionary-files.js';

const SECRET = Buffer.from('nearbuy');
const DEBIAN_DICTIONARY = '/usr/share/freeradius/dictionary';
const dict = testDictionary();

function fixture(name: string): Buffer {
  const text = readFileSync(fileURLToPath(new URL(`../../fixtures/radius/${name}.hex`, import.meta.url)), 'utf8');
  const hex = text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('')
    .replace(/\s+/g, '');
  return Buffer.from(hex, 'hex');
}

function load(name: string): RawPacket {
  const bytes = fixture(name);
  const packet = parsePacket(bytes);
  expect(packet.raw.length).toBe(bytes.length);
  return packet;
}

function value(attrs: readonly Attribute[], name: string): Attribute['value'] | undefined {
  return attrs.find((a) => a.name === name)?.value;
}

/** Every capture re-encodes to its own attribute bytes (raw and vendor attributes included). */
function expectReencodes(d: Dictionary, packet: RawPacket, attrs: readonly Attribute[], crypto?: { secret: Buffer; authenticator: Buffer }): void {
  const encoded = encodeAttributes(d, attrs, crypto);
  const buf = Buffer.alloc(packet.raw.length - 20);
  expect(writeAttributes(buf, 0, encoded)).toBe(buf.length);
  expect(buf.toString('hex')).toBe(packet.raw.subarray(20).toString('hex'));
}

describe('Aruba MAC auth Access-Request', () => {
  const packet = load('aruba_mac_auth');
  const crypto = { secret: SECRET, authenticator: packet.authenticator };

  it('has a Message-Authenticator that verifies with the secret', () => {
    expect(packet.code).toBe(1);
    expect(verifyMessageAuthenticator(packet, SECRET, null)).toBe(true);
    expect(verifyMessageAuthenticator(packet, Buffer.from('nearby'), null)).toBe(false);
  });

  it('decodes user name and password (both the MAC address) and keeps unknown vendors raw', () => {
    const attrs = decodeAttributes(dict, packet.attributes, crypto);
    expect(value(attrs, 'User-Name')).toBe('7c:c5:37:ff:f8:af');
    expect(value(attrs, 'User-Password')).toBe('7c:c5:37:ff:f8:af');
    expect(value(attrs, 'NAS-IP-Address')).toBe('10.0.0.90');
    expect(value(attrs, 'NAS-Port-Type')).toBe(19);
    // Aruba (14823) is not in the test dictionary: each VSA stays one raw Vendor-Specific.
    expect(attrs.filter((a) => a.name === 'Vendor-Specific')).toHaveLength(3);
    expectReencodes(dict, packet, attrs, crypto);
  });

  it.skipIf(!existsSync(DEBIAN_DICTIONARY))('decodes the Aruba VSAs with the FreeRADIUS dictionary', () => {
    const debian = loadDictionaryFiles([DEBIAN_DICTIONARY]);
    const attrs = decodeAttributes(debian, packet.attributes, crypto);
    expect(value(attrs, 'Aruba-Essid-Name')).toBe('muir-aruba-guest');
    expect(value(attrs, 'Aruba-Location-Id')).toBe('00:1a:1e:c6:b0:ca');
    expect(value(attrs, 'Aruba-AP-Group')).toBe('cloud-cp');
    expectReencodes(debian, packet, attrs, crypto);
  });
});

describe('Cisco MAC auth Access-Request and its Access-Reject', () => {
  const request = load('cisco_mac_auth');
  const reject = load('cisco_mac_auth_reject');

  it("the reject's Response Authenticator verifies against the request", () => {
    expect(reject.code).toBe(3);
    expect(reject.identifier).toBe(request.identifier);
    expect(reject.attributes).toHaveLength(0);
    expect(verifyResponseAuthenticator(reject, request.authenticator, SECRET)).toBe(true);
    expect(verifyResponseAuthenticator(reject, Buffer.alloc(16, 1), SECRET)).toBe(false);
  });

  it('decodes the request; Cisco-AVPair stays raw without the Cisco dictionary', () => {
    const crypto = { secret: SECRET, authenticator: request.authenticator };
    const attrs = decodeAttributes(dict, request.attributes, crypto);
    expect(value(attrs, 'User-Name')).toBe('7c:c5:37:ff:f8:af');
    expect(value(attrs, 'User-Password')).toBe('7c:c5:37:ff:f8:af');
    expect(value(attrs, 'Called-Station-Id')).toBe('00:17:0f:20:18:40:muir-cisco-guest');
    expect(value(attrs, 'NAS-Identifier')).toBe('cisco-2106');
    expect(value(attrs, 'Service-Type')).toBe(10);
    expectReencodes(dict, request, attrs, crypto);
  });
});

describe('Cisco Accounting-Request and Accounting-Response', () => {
  const request = load('cisco_accounting');
  const response = load('cisco_accounting_response');

  it('both authenticators verify', () => {
    expect(verifyRequestAuthenticator(request, SECRET)).toBe(true);
    expect(verifyResponseAuthenticator(response, request.authenticator, SECRET)).toBe(true);
    expect(verifyRequestAuthenticator(request, Buffer.from('wrong'))).toBe(false);
  });

  it('decodes the accounting attributes', () => {
    const attrs = decodeAttributes(dict, request.attributes);
    expect(value(attrs, 'User-Name')).toBe('user_7C:C5:37:FF:F8:AF_134');
    expect(value(attrs, 'Acct-Status-Type')).toBe(1);
    expect(value(attrs, 'Acct-Session-Id')).toBe('4fecc41e/7c:c5:37:ff:f8:af/9');
    expectReencodes(dict, request, attrs);
  });

  it.skipIf(!existsSync(DEBIAN_DICTIONARY))('its VSA is Airespace (14179) Airespace-Wlan-Id, decoded with the FreeRADIUS dictionary', () => {
    const debian = loadDictionaryFiles([DEBIAN_DICTIONARY]);
    const attrs = decodeAttributes(debian, request.attributes);
    expect(value(attrs, 'Airespace-Wlan-Id')).toBe(2);
    expectReencodes(debian, request, attrs);
  });

  it.skipIf(!projectDictionaryExists)('re-encodes byte for byte with the project dictionary', () => {
    const project = loadDictionaryFiles([PROJECT_DICTIONARY]);
    expectReencodes(project, request, decodeAttributes(project, request.attributes));
  });
});

describe('Motorola Accounting-Request', () => {
  const request = load('motorola_accounting');

  it('Request Authenticator verifies and Event-Timestamp is 1349879753', () => {
    expect(verifyRequestAuthenticator(request, SECRET)).toBe(true);
    const attrs = decodeAttributes(dict, request.attributes);
    expect(value(attrs, 'Event-Timestamp')).toBe(1349879753);
    expect(value(attrs, 'Acct-Status-Type')).toBe(1);
    expect(value(attrs, 'NAS-IP-Address')).toBe('10.2.0.3');
    expectReencodes(dict, request, attrs);
  });
});

describe('Access-Request carrying EAP', () => {
  const request = load('eap_request');

  it('has the structure of an EAP-Response inside EAP-Message, with State and Message-Authenticator', () => {
    const attrs = decodeAttributes(dict, request.attributes);
    expect(value(attrs, 'User-Name')).toBe('steve');
    const eap = value(attrs, 'EAP-Message');
    expect(Buffer.isBuffer(eap)).toBe(true);
    const msg = eap as Buffer;
    expect(msg[0]).toBe(2); // EAP Response (RFC 3748 §4)
    expect(msg.readUInt16BE(2)).toBe(msg.length); // EAP Length covers the whole message
    expect(msg[4]).toBe(25); // PEAP
    expect((value(attrs, 'State') as Buffer).length).toBe(16);
    expect(request.messageAuthenticatorOffset).toBeGreaterThan(20);
    expectReencodes(dict, request, attrs);
  });
});
