import { describe, expect, expectTypeOf, it } from 'vitest';
import { ApiError } from '../../../src/http/api/errors.js';
import { addressOrCidr, mac, money, timestamp } from '../../../src/http/api/fields.js';
import { accountResource, nasResource, subscriberResource, tariffResource } from '../../../src/http/api/resources.js';
import { closest, parseBody, parseQuery, type CreateOf, type PatchOf } from '../../../src/http/api/validate.js';
import { pageQuery } from '../../../src/http/api/crud.js';
import type { NasInput, NasPatch, SubscriberInput, SubscriberPatch, TariffInput } from '../../../src/domain/ports.js';

const accountReadOnly = Object.fromEntries(Object.entries(accountResource.readOnly).map(([k, f]) => [k, f.message]));

/** The ApiError a call throws. */
function thrown(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError');
}

const nas = { name: 'bras-1', address: '10.0.0.0/8', secret: 'long-enough-secret', vendor: 'mikrotik' };

describe('parseBody (create)', () => {
  it('applies defaults and keeps the given fields', () => {
    expect(parseBody(nasResource.fields, nas, 'create')).toEqual({ ...nas, coaPort: 3799, requireMessageAuthenticator: 'auto', limitProxyState: true });
  });

  it('yields the store input types', () => {
    expectTypeOf<CreateOf<typeof nasResource.fields>>().not.toBeAny();
    expectTypeOf<CreateOf<typeof nasResource.fields>>().toExtend<NasInput>();
    expectTypeOf<CreateOf<typeof nasResource.fields>>().toHaveProperty('coaPort').toEqualTypeOf<number>();
    expectTypeOf<PatchOf<typeof nasResource.fields>>().toExtend<NasPatch>();
    expectTypeOf<CreateOf<typeof tariffResource.fields>>().toExtend<TariffInput>();
    expectTypeOf<CreateOf<typeof subscriberResource.fields>>().toExtend<SubscriberInput>();
    expectTypeOf<PatchOf<typeof subscriberResource.fields>>().toExtend<SubscriberPatch>();
    expectTypeOf<CreateOf<typeof nasResource.fields>>().not.toExtend<{ secret: number }>();
  });

  it('reports every bad field at once, the first in field/message', () => {
    const err = thrown(() => parseBody(nasResource.fields, { name: '', address: '10.1.2.3/8', secret: 'short', vendor: 'nokia', coaPort: 0 }, 'create'));
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.status).toBe(400);
    expect(err.details?.map((d) => d.field)).toEqual(['name', 'address', 'secret', 'vendor', 'coaPort']);
    expect(err.field).toBe('name');
    expect(err.message).toBe('name must not be empty');
    const byField = Object.fromEntries((err.details ?? []).map((d) => [d.field, d.message]));
    expect(byField.address).toMatch(/host bits set; use the network address \(10\.0\.0\.0\/8\)/);
    expect(byField.secret).toBe('secret must be at least 8 characters');
    expect(byField.vendor).toMatch(/^vendor must be one of generic, mikrotik, .*got string "nokia"$/);
    expect(byField.coaPort).toBe('coaPort must be an integer between 1 and 65535, got 0');
  });

  it('never echoes a secret value in a message', () => {
    const err = thrown(() => parseBody(nasResource.fields, { ...nas, secret: 'short' }, 'create'));
    expect(JSON.stringify(err.toJSON())).not.toContain('short"');
    const numeric = thrown(() => parseBody(nasResource.fields, { ...nas, secret: 123456789 }, 'create'));
    expect(numeric.message).toBe('secret must be a string, got a number');
    const pw = thrown(() => parseBody(subscriberResource.fields, { username: 'u', accountId: 1, password: 'x'.repeat(129), ntHash: 'not-hex-but-secret' }, 'create'));
    expect(JSON.stringify(pw.toJSON())).not.toMatch(/xxx|not-hex/);
  });

  it('names missing required fields', () => {
    const err = thrown(() => parseBody(nasResource.fields, {}, 'create'));
    expect(err.details).toEqual([
      { field: 'name', message: 'name is required' },
      { field: 'address', message: 'address is required' },
      { field: 'secret', message: 'secret is required' },
      { field: 'vendor', message: 'vendor is required' },
    ]);
  });

  it('refuses unknown fields first, with a suggestion', () => {
    const err = thrown(() => parseBody(nasResource.fields, { ...nas, nmae: 'x', coaport: 1700 }, 'create'));
    expect(err.field).toBe('nmae');
    expect(err.message).toMatch(/^unknown field "nmae"; did you mean "name"\? \(known: name, address, secret, vendor, coaPort, /);
    expect(err.details?.[1]?.message).toMatch(/did you mean "coaPort"/);
  });

  it('refuses a non-object body', () => {
    for (const body of [[], 'x', 1, null, true]) {
      const err = thrown(() => parseBody(nasResource.fields, body, 'create'));
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.message).toMatch(/must be a JSON object/);
      expect(err.field).toBeUndefined();
    }
  });

  it('refuses fractions and strings for money, naming the field', () => {
    const err = thrown(() => parseBody(tariffResource.fields, { name: 't', monthlyFee: 10.5, pricePerGB: '100', downKbps: -1, includedBytes: 2 ** 53 }, 'create'));
    const byField = Object.fromEntries((err.details ?? []).map((d) => [d.field, d.message]));
    expect(byField).toEqual({
      monthlyFee: 'monthlyFee must be an integer number of minor units, not a fraction (got 10.5)',
      pricePerGB: 'pricePerGB must be an integer ≥ 0, got string "100"',
      downKbps: 'downKbps must be an integer ≥ 0, got -1',
      includedBytes: 'includedBytes must be an integer ≥ 0, got 9007199254740992',
    });
  });

  it('refuses balance and other read-only fields with the reason', () => {
    const err = thrown(() => parseBody(accountResource.fields, { balance: 100, state: 'active', creditLimit: -5 }, 'patch', accountReadOnly));
    expect(err.details).toEqual([
      { field: 'balance', message: expect.stringMatching(/^balance is read-only: payments, adjustments and charges change balances/) as unknown },
      { field: 'state', message: expect.stringMatching(/^state is read-only/) as unknown },
      { field: 'creditLimit', message: 'creditLimit must be an integer ≥ 0, got -5' },
    ]);
  });

  it('accepts null only for nullable fields', () => {
    expect(parseBody(subscriberResource.fields, { tariffId: null, framedIp: null, mac: null, simultaneousUse: null }, 'patch')).toEqual({
      tariffId: null,
      framedIp: null,
      mac: null,
      simultaneousUse: null,
    });
    const err = thrown(() => parseBody(subscriberResource.fields, { username: null, status: null }, 'patch'));
    expect(err.details).toEqual([
      { field: 'username', message: 'username must not be null' },
      { field: 'status', message: 'status must not be null' },
    ]);
  });

  it('normalises MACs and NT hashes', () => {
    expect(parseBody(subscriberResource.fields, { username: 'a', accountId: 1, mac: 'AABB.CCDD.EEFF', ntHash: '8846F7EAEE8FB117AD06BDD830B7586C' }, 'create')).toMatchObject({
      mac: 'aa:bb:cc:dd:ee:ff',
      ntHash: '8846f7eaee8fb117ad06bdd830b7586c',
      status: 'active',
    });
  });

  it('checks subscriber fields', () => {
    const err = thrown(() =>
      parseBody(subscriberResource.fields, { username: 'a\nb', accountId: 0, framedIp: '10.0.0.256', mac: '00:11:22:33:44', ntHash: 'abc', simultaneousUse: 0, status: 'gone' }, 'create'),
    );
    expect(err.details?.map((d) => d.field)).toEqual(['username', 'ntHash', 'accountId', 'framedIp', 'mac', 'simultaneousUse', 'status']);
    expect(err.details?.find((d) => d.field === 'ntHash')?.message).toBe('ntHash must be 32 hexadecimal digits, got 3 characters');
  });
});

describe('parseBody (patch)', () => {
  it('takes any subset and applies no defaults', () => {
    expect(parseBody(nasResource.fields, { coaPort: 1700 }, 'patch')).toEqual({ coaPort: 1700 });
    expect(parseBody(nasResource.fields, {}, 'patch')).toEqual({});
  });
});

describe('fields', () => {
  it.each([
    ['192.0.2.1', true],
    ['10.0.0.0/8', true],
    ['0.0.0.0/0', true],
    ['192.0.2.1/32', true],
    ['2001:db8::/32', true],
    ['::1', true],
    ['10.0.0.0/33', false],
    ['10.0.0.0/08', false],
    ['10.0.0.0/', false],
    ['10.0.0/8', false],
    ['2001:db8::1/32', false],
    ['fe80::1%eth0', false],
    ['example.com', false],
  ])('addressOrCidr %s → %s', (value, valid) => {
    expect(addressOrCidr('x').check(value).ok).toBe(valid);
  });

  it('suggests the IPv6 network address for host bits', () => {
    const r = addressOrCidr('x').check('2001:db8::1/32');
    expect(r.ok ? '' : r.message).toMatch(/use the network address \(2001:db8::\/32\)/);
  });

  it('mac accepts the common notations only', () => {
    for (const v of ['00:11:22:aa:bb:cc', '00-11-22-AA-BB-CC', '0011.22aa.bbcc', '001122aabbcc']) {
      expect(mac('x').check(v)).toEqual({ ok: true, value: '00:11:22:aa:bb:cc' });
    }
    for (const v of ['00:11-22:aa:bb:cc', '00:11:22:aa:bb', 'gg:11:22:aa:bb:cc', 1]) expect(mac('x').check(v).ok).toBe(false);
  });

  it('money refuses what JSON can smuggle in', () => {
    for (const v of [1.5, '1', -1, Number.NaN, Infinity, 2 ** 53, true, null, [1]]) expect(money('x').check(v).ok, String(v)).toBe(false);
    expect(money('x').check(0)).toEqual({ ok: true, value: 0 });
  });

  it('timestamp needs a zone and normalises to UTC', () => {
    expect(timestamp('x').check('2025-01-31T12:00:00+02:00')).toEqual({ ok: true, value: '2025-01-31T10:00:00.000Z' });
    expect(timestamp('x').check('2025-01-31T12:00:00').ok).toBe(false);
    expect(timestamp('x').check('yesterday').ok).toBe(false);
  });
});

describe('parseQuery', () => {
  const shape = { ...pageQuery, ...subscriberResource.filters };

  it('applies defaults and parses integers', () => {
    expect(parseQuery(shape, new URLSearchParams(''))).toEqual({ limit: 50, offset: 0 });
    expect(parseQuery(shape, new URLSearchParams('limit=1000&offset=5&accountId=3&username=bob'))).toEqual({ limit: 1000, offset: 5, accountId: 3, username: 'bob' });
    expect(parseQuery(shape, new URLSearchParams('username='))).toEqual({ limit: 50, offset: 0 });
  });

  it('reports bad, unknown and repeated parameters at once', () => {
    const err = thrown(() => parseQuery(shape, new URLSearchParams('limit=1001&offset=-1&usrname=x&accountId=1&accountId=2&offset=x')));
    expect(err.details).toEqual([
      { field: 'offset', message: 'offset is given 2 times; give it once' },
      { field: 'usrname', message: expect.stringMatching(/^unknown query parameter "usrname"; did you mean "username"\?/) as unknown },
      { field: 'accountId', message: 'accountId is given 2 times; give it once' },
      { field: 'limit', message: 'limit must be an integer between 1 and 1000, got 1001' },
    ]);
    expect(thrown(() => parseQuery(shape, new URLSearchParams('limit=ten'))).message).toBe('limit must be an integer between 1 and 1000, got string "ten"');
    expect(thrown(() => parseQuery(shape, new URLSearchParams('limit=1.5'))).field).toBe('limit');
  });
});

describe('closest', () => {
  it('finds near names and case slips, not far ones', () => {
    expect(closest('secert', ['name', 'secret'])).toBe('secret');
    expect(closest('COAPORT', ['coaPort'])).toBe('coaPort');
    expect(closest('vendorName', ['vendor', 'name'])).toBeUndefined();
  });
});
