/**
 * One schema for every entry point: the four inputs a fresh clone's CLI took but the admin API refused — an IPv6
 * framed IP (never sent: only Framed-IP-Address is), a 10 KB username, a NAS CIDR with host bits and a 5-character
 * secret — are refused by the CLI (through the store's checks, on a real store) and by the API's validator, both
 * naming the same field, and nothing is written.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/http/api/errors.js';
import { nasResource, subscriberResource } from '../../src/http/api/resources.js';
import { parseBody } from '../../src/http/api/validate.js';
import { createCliHarness, type CliHarness } from './cli-harness.js';

let h: CliHarness;
let dir: string;

beforeAll(async () => {
  h = await createCliHarness();
  dir = await mkdtemp(join(tmpdir(), 'tollgate-parity-'));
});

afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function apiRefusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('the API accepted it');
}

const nas = { name: 'parity-nas', address: '192.0.2.60', secret: 'parity-secret-1234', vendor: 'generic' };
const subscriber = { username: 'parity-user', password: 'parity-pass', accountId: 1 };

describe('the CLI refuses what the API refuses', () => {
  it.each([
    ['a NAS CIDR with host bits', 'address', { address: '10.0.0.1/8' }, /host bits set; use the network address \(10\.0\.0\.0\/8\)/],
    ['a 5-character secret', 'secret', { secret: 'short' }, /must be at least 8 characters/],
  ])('%s', async (_what, field, change, message) => {
    const input = { ...nas, ...change };
    const api = apiRefusal(() => parseBody(nasResource.fields, input, 'create'));
    expect(api.code).toBe('VALIDATION_FAILED');
    expect(api.field).toBe(field);
    expect(api.message).toMatch(message);

    const cli = await h.run('nas', 'add', '--name', input.name, '--address', input.address, '--secret', input.secret);
    expect(cli.code, cli.stderr).toBe(65);
    expect(cli.stderr).toContain(`${field}: `);
    expect(cli.stderr).toMatch(message);
    expect(cli.stderr).not.toContain('"short"');
    expect((await h.store.nas.list()).map((n) => n.name)).not.toContain(input.name);
  });

  it.each([
    ['an IPv6 framed IP', 'framedIp', { framedIp: '2001:db8::10' }, /must be an IPv4 address/],
    ['a 10 KB username', 'username', { username: 'u'.repeat(10_240) }, /must be at most 253 characters/],
  ])('%s', async (_what, field, change, message) => {
    const input = { ...subscriber, ...change };
    const api = apiRefusal(() => parseBody(subscriberResource.fields, input, 'create'));
    expect(api.code).toBe('VALIDATION_FAILED');
    expect(api.field).toBe(field);
    expect(api.message).toMatch(message);

    const argv = ['subscriber', 'add', '--username', input.username, '--password', input.password, ...('framedIp' in input ? ['--ip', input.framedIp] : [])];
    const cli = await h.run(...argv);
    expect(cli.code, cli.stderr).toBe(65);
    expect(cli.stderr).toContain(`${field}: `);
    expect(cli.stderr).toMatch(message);
    expect((await h.store.subscribers.list({ limit: 10, offset: 0 })).total).toBe(0);
  });

  it.each([
    // The CSV check names its column (framed_ip); the message is the schema's.
    ['an IPv6 framed IP', 'parity-csv,pw-pw-pw,2001:db8::10', /framed_ip must be an IPv4 address/],
    ['a 10 KB username', `${'u'.repeat(10_240)},pw-pw-pw,`, /username.* 253 characters/],
  ])('a CSV import with %s', async (_what, row, message) => {
    const file = join(dir, 'rows.csv');
    await writeFile(file, `username,password,framed_ip\n${row}\n`);
    const r = await h.run('import', 'csv', file);
    expect(r.code, r.stderr).toBe(65);
    expect(r.stderr).toMatch(message);
    expect((await h.store.subscribers.list({ limit: 10, offset: 0 })).total).toBe(0);
  });

  it('and both still take the valid inputs', async () => {
    expect(parseBody(nasResource.fields, nas, 'create')).toMatchObject(nas);
    const ok = await h.run('nas', 'add', '--name', nas.name, '--address', '10.0.0.0/8', '--secret', nas.secret);
    expect(ok.code, ok.stderr).toBe(0);
    const sub = await h.run('subscriber', 'add', '--username', subscriber.username, '--password', subscriber.password, '--ip', '100.64.0.10');
    expect(sub.code, sub.stderr).toBe(0);
  });
});
