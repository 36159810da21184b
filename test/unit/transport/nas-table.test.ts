import { describe, expect, it } from 'vitest';
import { addressToBigInt } from '../../../src/radius/primitives.js';
import { NasTable } from '../../../src/transport/nas-table.js';

const defaults = { requireMessageAuthenticator: true, limitProxyState: true };
const spec = (name: string, address: string, extra: object = {}) => ({ name, address, secret: `${name}-secret`, vendor: 'generic', coaPort: 3799, ...extra });

describe('NasTable', () => {
  const table = new NasTable(
    [spec('exact', '10.1.2.3', { requireMessageAuthenticator: false }), spec('wide', '10.0.0.0/8'), spec('narrow', '10.1.0.0/16'), spec('v6', '2001:db8::/32'), spec('v6host', '::1')],
    defaults,
  );

  it('prefers an exact address, then the longest prefix', () => {
    expect(table.lookup('10.1.2.3')?.name).toBe('exact');
    expect(table.lookup('10.1.9.9')?.name).toBe('narrow');
    expect(table.lookup('10.200.0.1')?.name).toBe('wide');
    expect(table.lookup('11.0.0.1')).toBeUndefined();
  });

  it('matches IPv6 ranges, IPv6 hosts and IPv4-mapped sources', () => {
    expect(table.lookup('2001:db8:1::5')?.name).toBe('v6');
    expect(table.lookup('2001:db9::1')).toBeUndefined();
    expect(table.lookup('::1')?.name).toBe('v6host');
    expect(table.lookup('0:0:0:0:0:0:0:1')?.name).toBe('v6host');
    expect(table.lookup('::ffff:10.1.2.3')?.name).toBe('exact');
  });

  it('applies the policy defaults unless the client overrides them', () => {
    expect(table.lookup('10.1.2.3')?.requireMessageAuthenticator).toBe(false);
    expect(table.lookup('10.1.9.9')?.requireMessageAuthenticator).toBe(true);
  });

  it('never serialises the secret', () => {
    const client = table.lookup('10.1.2.3');
    expect(JSON.stringify(client)).not.toContain('secret');
    expect(client?.secret.toString()).toBe('exact-secret');
  });

  it('parses addresses with embedded IPv4 and rejects garbage', () => {
    expect(addressToBigInt('::ffff:1.2.3.4')).toEqual({ family: 4, value: 0x01020304n });
    expect(addressToBigInt('64:ff9b::1.2.3.4')?.value).toBe((0x64n << 112n) | (0xff9bn << 96n) | 0x01020304n);
    expect(addressToBigInt('nonsense')).toBeUndefined();
  });
});
