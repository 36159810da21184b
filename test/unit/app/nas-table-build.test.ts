/**
 * The NAS table the RADIUS role compiles from the config file's clients and the database's rows: a row's tlsName
 * (migration 12) is the certificate name RadSec asks of the NAS, as a config client's is; null asks for none.
 */
import { describe, expect, it } from 'vitest';
import { buildNasTable } from '../../../src/app/radius.js';
import { validateConfig } from '../../../src/config/load.js';
import type { Nas } from '../../../src/domain/types.js';

function row(id: number, address: string, tlsName: string | null): Nas {
  return {
    id,
    name: `db-${id}`,
    address,
    secret: 'db-secret-db-secret',
    vendor: 'generic',
    coaPort: 3799,
    requireMessageAuthenticator: true,
    limitProxyState: true,
    messageAuthenticatorSeenAt: null,
    tlsName,
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
  };
}

describe('buildNasTable', () => {
  it('gives database rows their tlsName, over UDP and RadSec alike', () => {
    const config = validateConfig({ clients: [{ name: 'file', address: '192.0.2.1', secret: 'file-secret-file', tlsName: 'file.example.net' }] }, 'test');
    const table = buildNasTable(config, [row(1, '192.0.2.2', 'bras2.example.net'), row(2, '192.0.2.3', null)]);
    expect(table.lookup('192.0.2.1')?.tlsName).toBe('file.example.net');
    expect(table.lookup('192.0.2.2')?.tlsName).toBe('bras2.example.net');
    expect(table.lookup('192.0.2.2')?.radsec.tlsName).toBe('bras2.example.net');
    expect(table.lookup('192.0.2.3')?.tlsName).toBeUndefined();
  });
});
