/**
 * The typed accessors against the shipped dictionary: every accessor's attribute number, vendor and data type are
 * the dictionary's, and each accessor reads the attribute its spec names (a packet encoded by name, through the
 * dictionary, is read back by the accessor).
 */
import { describe, expect, it } from 'vitest';

import { loadDictionaryFiles } from '../../../src/config/dictionary-files.js';
import { shippedDictionary } from '../../../src/app/paths.js';
import * as accessors from '../../../src/radius/accessors.js';
import { ACCESSOR_SPECS, type AccessorSpec } from '../../../src/radius/accessors.js';
import type { AttributeValue } from '../../../src/radius/attributes.js';
import { Code } from '../../../src/radius/codes.js';
import { encodeRequest } from '../../../src/radius/crypto.js';
import { encodeAttributes } from '../../../src/radius/encode.js';
import { RadiusError } from '../../../src/radius/errors.js';
import { parsePacket, type RawPacket } from '../../../src/radius/packet.js';

const dict = loadDictionaryFiles([shippedDictionary()]);
const secret = Buffer.from('accessor-test-secret');
const authenticator = Buffer.alloc(16, 7);

type AccessorName = keyof typeof ACCESSOR_SPECS;
const read = accessors as unknown as Record<AccessorName, (p: RawPacket) => unknown>;

/** A sample value of each data type, and what the accessor gives back for it. */
function sample(s: AccessorSpec): { value: AttributeValue; expected: unknown } {
  switch (s.dataType) {
    case 'string':
      return { value: 'sample-7', expected: 'sample-7' };
    case 'ipaddr':
      return { value: '10.1.2.3', expected: '10.1.2.3' };
    case 'integer':
    case 'date':
      return { value: 77, expected: 77 };
    default:
      return { value: Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]), expected: Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]) };
  }
}

function packetWith(name: string, value: AttributeValue): RawPacket {
  // A neighbour before it, so an accessor reading the first attribute regardless of its type would fail.
  const attrs = encodeAttributes(dict, [{ name: 'Reply-Message', value: 'x' }, { name, value }], { secret, authenticator });
  return parsePacket(encodeRequest(Code.AccessRequest, 1, attrs, secret, { messageAuthenticator: false, authenticator }));
}

describe('typed accessors', () => {
  const entries = Object.entries(ACCESSOR_SPECS) as [AccessorName, AccessorSpec][];

  it('cover the ~20 attributes the core reads, one spec per exported accessor', () => {
    const exported = Object.entries(accessors)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k)
      .sort();
    expect(exported).toEqual(Object.keys(ACCESSOR_SPECS).sort());
    expect(entries.length).toBeGreaterThanOrEqual(20);
  });

  it.each(entries)('%s: number, vendor and data type as in the shipped dictionary', (_key, s) => {
    const def = dict.attribute(s.name);
    expect(def, s.name).toBeDefined();
    expect({ vendorId: def?.vendorId, type: def?.type, dataType: def?.dataType }).toEqual({ vendorId: s.vendorId, type: s.type, dataType: s.dataType });
  });

  it.each(entries)('%s reads the attribute its spec names', (key, s) => {
    const { value, expected } = sample(s);
    const got = read[key](packetWith(s.name, value));
    if (key === 'userPassword') {
      // Hidden on the wire: the accessor gives the hidden octets (one 16-octet block for a short password).
      expect(Buffer.isBuffer(got) && got.length === 16).toBe(true);
    } else if (key === 'classes') {
      expect(got).toEqual([expected]);
    } else {
      expect(got).toEqual(expected);
    }
    expect(read[key](packetWith('Reply-Message', 'nothing else')), 'absent').toEqual(key === 'classes' ? [] : undefined);
  });

  it('refuse a fixed-size value of the wrong size, naming the attribute (RADIUS_BAD_VALUE)', () => {
    const packet = packetWith('Attr-40', Buffer.from([0, 3]));
    try {
      accessors.acctStatusType(packet);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RadiusError);
      expect((err as RadiusError).code).toBe('RADIUS_BAD_VALUE');
      expect((err as RadiusError).message).toBe('Acct-Status-Type has 2 octets, expected 4');
    }
    expect(() => accessors.framedIpAddress(packetWith('Attr-8', Buffer.from([10, 0, 0])))).toThrow('Framed-IP-Address has 3 octets, expected 4');
  });
});
