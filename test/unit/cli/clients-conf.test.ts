/** clients.conf and FreeRADIUS's nas table rows as NAS clients: addresses, names, secrets, vendors, what is refused. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nasFromClient, nasFromSqlRow, parseClientsConf, vendorOfNasType } from '../../../src/cli/clients-conf.js';

const fixture = readFileSync(join(import.meta.dirname, '../../fixtures/freeradius/clients.conf'), 'utf8');

describe('parseClientsConf', () => {
  const parsed = parseClientsConf(fixture);
  const nas = parsed.clients.map((c) => nasFromClient(c, 'clients.conf'));

  it('reads every client, its settings (quotes and comments removed) and skips nested sections', () => {
    expect(parsed.clients.map((c) => c.label)).toEqual(['localhost', 'bras-north', '203.0.113.0/24', 'bras-south', 'by-hostname', 'no-secret']);
    expect(parsed.clients[0]!.settings.get('nas_type')).toBe('other');
    expect(parsed.clients[0]!.settings.has('max_connections')).toBe(false);
    expect(parsed.clients[1]!.settings.get('secret')).toBe('north-secret-with space');
    expect(parsed.notes).toEqual([expect.stringContaining('$INCLUDE clients.d/ is not followed')]);
  });

  it('maps ipaddr/ipv4addr (with a prefix), or the name, shortname and nas_type to NAS clients', () => {
    expect(nas.slice(0, 4)).toEqual([
      { ok: true, where: 'clients.conf line 2', name: 'localhost', address: '127.0.0.1', secret: 'testing123-localhost', vendor: 'generic', requireMessageAuthenticator: false, notes: [] },
      { ok: true, where: 'clients.conf line 15', name: 'bras-n1', address: '198.51.100.10', secret: 'north-secret-with space', vendor: 'cisco', notes: [] },
      { ok: true, where: 'clients.conf line 23', name: 'edge-pool', address: '203.0.113.0/24', secret: 'pool-secret-203', vendor: 'mikrotik', notes: [] },
      { ok: true, where: 'clients.conf line 29', name: 'bras-south', address: '198.51.100.20/32', secret: 'south-secret-1234', vendor: 'generic', notes: ['nas_type livingston has no vendor profile here: generic'] },
    ]);
  });

  it('refuses a hostname and a client without a secret, with the reason', () => {
    expect(nas[4]).toMatchObject({ ok: false, name: 'by-hostname', reason: expect.stringContaining('hostnames are not resolved') as string });
    expect(nas[5]).toMatchObject({ ok: false, name: 'no-secret', reason: 'no secret' });
  });

  it('reports an unclosed client', () => {
    expect(parseClientsConf('client x {\n ipaddr = 192.0.2.1\n').notes).toEqual(['line 1: client x is not closed with }']);
  });
});

describe('the SQL nas table', () => {
  it('takes nasname as the address and shortname as the name', () => {
    expect(nasFromSqlRow({ nasname: '192.0.2.7', shortname: 'sql-bras', type: 'juniper', secret: 'sql-secret-1234' })).toMatchObject({ ok: true, name: 'sql-bras', address: '192.0.2.7', vendor: 'juniper' });
    expect(nasFromSqlRow({ nasname: 'bras.example.net', shortname: null, type: null, secret: 's' })).toMatchObject({ ok: false });
    expect(vendorOfNasType('Huawei')).toEqual({ vendor: 'huawei' });
  });
});
