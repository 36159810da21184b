/**
 * Vendor profiles against the shipped dictionary: every built-in profile compiles; per vendor the accept and
 * redirect answers go through the codec (decoded, asserted, re-encoded byte for byte), with hand-built RFC 2865
 * §5.26 bytes for the MikroTik Rate-Limit and SKAT Service-Profile VSAs; the rate-change CoA per vendor for a new
 * speed; overrides, empty placeholders, tags, configuration errors with their keys, and the answer cache.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROFILES,
  VendorProfiles,
  type AttributeTemplates,
  type ProfileOverrides,
  type RateChangeBy,
  type RateSpeed,
} from '../../../src/aaa/vendor-profiles.js';
import { ConfigError } from '../../../src/config/errors.js';
import { checkSection } from '../../../src/config/load.js';
import { profilesSchema } from '../../../src/config/vendors.js';
import { VENDORS, type SubscriberSnapshot, type VendorName } from '../../../src/domain/types.js';
import { shippedDictionary } from '../../../src/app/paths.js';
import { snapshot as baseSnapshot } from '../../helpers/snapshot.js';
import { Code, decodeAttributes, encodeAttributes, RadiusError, type RawAttribute } from '../../../src/radius/index.js';
import { loadDictionaryFiles } from '../../../src/config/dictionary-files.js';

const dict = loadDictionaryFiles([shippedDictionary()]);
const profiles = VendorProfiles.compile(dict);

function snapshot(over: Partial<SubscriberSnapshot> = {}): SubscriberSnapshot {
  return baseSnapshot({ framedIp: '10.0.0.5', ...over });
}

/** Attributes as on the wire: Type, Length, Value (RFC 2865 §5). */
function wire(attrs: readonly RawAttribute[]): Buffer {
  return Buffer.concat(attrs.map((a) => Buffer.concat([Buffer.from([a.type, a.value.length + 2]), a.value])));
}

/** Decode through the dictionary, check that re-encoding gives the same bytes, and return [name(:tag), value] pairs. */
function decoded(attrs: readonly RawAttribute[]): [string, unknown][] {
  const attributes = decodeAttributes(dict, attrs);
  expect(wire(encodeAttributes(dict, attributes)).toString('hex')).toBe(wire(attrs).toString('hex'));
  return attributes.map((a) => [a.tag !== undefined && a.tag !== 0 ? `${a.name}:${a.tag}` : a.name, a.value]);
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const INTERIM: [string, unknown] = ['Acct-Interim-Interval', 300];
const IP: [string, unknown] = ['Framed-IP-Address', '10.0.0.5'];
const POLICING = 'QU;50000000;9375000;D;100000000;18750000';

describe('built-in profiles', () => {
  it('cover every vendor a NAS can name', () => {
    expect(Object.keys(DEFAULT_PROFILES).sort()).toEqual([...VENDORS].sort());
  });

  it('name only attributes of the shipped dictionary, with tags only where it allows them', () => {
    const sets = (p: (typeof DEFAULT_PROFILES)[VendorName]): AttributeTemplates[] => [p.accept, p.redirect.attributes, p.coaRestrict, p.coaRestore, p.rateChange];
    for (const vendor of VENDORS) {
      for (const templates of sets(DEFAULT_PROFILES[vendor])) {
        for (const key of Object.keys(templates)) {
          const [name, tag] = key.split(':');
          const def = dict.attribute(name!);
          expect(def, `${vendor}: ${key}`).toBeDefined();
          expect(def!.name, `${vendor}: ${key} is spelled as in the dictionary`).toBe(name);
          if (tag !== undefined) expect(def!.hasTag, `${vendor}: ${key}`).toBe(true);
        }
      }
    }
  });

  it('all compile, and every set of every vendor encodes for a full and for a bare subscriber', () => {
    const bare = snapshot({ framedIp: null, framedPool: null, tariff: null });
    for (const vendor of VENDORS) {
      for (const s of [snapshot({ framedPool: 'pool-a' }), bare]) {
        decoded(profiles.accept(vendor, s));
        decoded(profiles.redirect(vendor, s).attributes);
        decoded(profiles.coaRestrict(vendor, s));
        decoded(profiles.coaRestore(vendor, s));
        decoded(profiles.rateChange(vendor, s, { downKbps: 20_000, upKbps: 10_000 }, { downKbps: 100_000, upKbps: 50_000 }));
      }
    }
  });

  it('a vendor without a rate-change CoA is changed by Disconnect, and every other one has attributes to send', () => {
    for (const vendor of VENDORS) {
      const p = DEFAULT_PROFILES[vendor];
      expect(p.rateChangeBy, vendor).toBe(Object.keys(p.rateChange).length === 0 ? 'disconnect' : 'coa');
    }
  });
});

describe('accept and redirect per vendor, through the codec', () => {
  const cases: Record<VendorName, { accept: [string, unknown][]; redirectCode: number; redirect: [string, unknown][] }> = {
    generic: {
      accept: [IP, INTERIM],
      redirectCode: Code.AccessReject,
      redirect: [['Reply-Message', 'Service restricted: please top up your account']],
    },
    mikrotik: {
      accept: [IP, ['Mikrotik-Rate-Limit', '50000k/100000k'], INTERIM],
      redirectCode: Code.AccessAccept,
      redirect: [IP, ['Mikrotik-Address-List', 'unpaid'], INTERIM],
    },
    'accel-ppp': {
      accept: [IP, ['Filter-Id', '100000/50000'], INTERIM],
      redirectCode: Code.AccessAccept,
      redirect: [['Framed-Pool', 'unpaid'], ['Filter-Id', '1024/1024'], INTERIM],
    },
    cisco: {
      accept: [IP, ['Cisco-Account-Info', POLICING], INTERIM],
      redirectCode: Code.AccessAccept,
      redirect: [IP, ['Cisco-Account-Info', 'AREDIRECT'], ['Cisco-Account-Info', POLICING], INTERIM],
    },
    juniper: {
      accept: [IP, ['ERX-Service-Activate:1', 'INTERNET(50000000,100000000)'], INTERIM],
      redirectCode: Code.AccessAccept,
      redirect: [IP, ['ERX-Service-Activate:1', 'REDIRECT'], INTERIM],
    },
    huawei: {
      accept: [IP, ['Huawei-Input-Average-Rate', 50_000_000], ['Huawei-Output-Average-Rate', 100_000_000], INTERIM],
      redirectCode: Code.AccessAccept,
      redirect: [IP, ['Huawei-Policy-Name', 'unpaid'], INTERIM],
    },
    ericsson: {
      accept: [IP, ['Qos-Policing-Profile-Name', 'up-50000k'], ['Qos-Metering-Profile-Name', 'down-100000k'], INTERIM],
      redirectCode: Code.AccessAccept,
      redirect: [IP, ['HTTP-Redirect-Profile-Name', 'unpaid'], INTERIM],
    },
    vasexperts: {
      accept: [IP, ['VasExperts-UserName', 'alice'], ['VasExperts-Policing-Profile', 'BV##100000#50000#++++++++'], INTERIM],
      redirectCode: Code.AccessReject,
      redirect: [IP, ['VasExperts-UserName', 'alice'], ['VasExperts-Policing-Profile', 'BV##1024#1024#++++++++'], ['VasExperts-Service-Profile', '5:allowlist']],
    },
  };

  for (const vendor of VENDORS) {
    const c = cases[vendor];
    it(`${vendor}: accept`, () => {
      expect(decoded(profiles.accept(vendor, snapshot()))).toEqual(c.accept);
    });
    it(`${vendor}: redirect is ${c.redirectCode === Code.AccessReject ? 'an Access-Reject' : 'an Access-Accept'}`, () => {
      const r = profiles.redirect(vendor, snapshot());
      expect(r.code).toBe(c.redirectCode);
      expect(decoded(r.attributes)).toEqual(c.redirect);
    });
  }

  it('MikroTik Rate-Limit VSA: exact bytes (rx/tx from the router, so upload first)', () => {
    const attrs = profiles.accept('mikrotik', snapshot());
    const text = Buffer.from('50000k/100000k', 'ascii'); // 14 octets
    const expected = Buffer.concat([
      // Type 26, Length 2 + 4 (Vendor-Id) + 2 (sub-header) + 14, Vendor-Id 14988 = 0x00003a8c
      Buffer.from([0x1a, 22, 0x00, 0x00, 0x3a, 0x8c]),
      // Vendor-Type 8 (Mikrotik-Rate-Limit), Vendor-Length 2 + 14
      Buffer.from([0x08, 16]),
      text,
    ]);
    expect(wire([attrs[1]!]).toString('hex')).toBe(expected.toString('hex'));
  });

  it('SKAT Service-Profile VSA in the restricted Access-Reject: exact bytes', () => {
    const { attributes } = profiles.redirect('vasexperts', snapshot());
    const expected = Buffer.concat([
      // Type 26, Length 2 + 4 + 2 + 11, Vendor-Id 43823 = 0x0000ab2f
      Buffer.from([0x1a, 19, 0x00, 0x00, 0xab, 0x2f]),
      // Vendor-Type 2 (VasExperts-Service-Profile), Vendor-Length 2 + 11
      Buffer.from([0x02, 13]),
      Buffer.from('5:allowlist', 'ascii'),
    ]);
    expect(wire([attributes[3]!]).toString('hex')).toBe(expected.toString('hex'));
  });
});

describe('CoA templates', () => {
  it('Cisco restricts and restores with two Cisco-AVPair each', () => {
    expect(decoded(profiles.coaRestrict('cisco', snapshot()))).toEqual([
      ['Cisco-AVPair', 'subscriber:command=activate-service'],
      ['Cisco-AVPair', 'subscriber:service-name=REDIRECT'],
    ]);
    expect(decoded(profiles.coaRestore('cisco', snapshot()))).toEqual([
      ['Cisco-AVPair', 'subscriber:command=deactivate-service'],
      ['Cisco-AVPair', 'subscriber:service-name=REDIRECT'],
    ]);
  });

  it('Juniper swaps the internet and redirect services', () => {
    expect(decoded(profiles.coaRestrict('juniper', snapshot()))).toEqual([
      ['ERX-Service-Deactivate', 'INTERNET'],
      ['ERX-Service-Activate:1', 'REDIRECT'],
    ]);
    expect(decoded(profiles.coaRestore('juniper', snapshot()))).toEqual([
      ['ERX-Service-Deactivate', 'REDIRECT'],
      ['ERX-Service-Activate:1', 'INTERNET(50000000,100000000)'],
    ]);
  });

  it('SKAT switches service 5 off to restore', () => {
    expect(decoded(profiles.coaRestore('vasexperts', snapshot()))).toEqual([
      ['VasExperts-Enable-Service', '5:off'],
      ['VasExperts-Policing-Profile', 'BV##100000#50000#++++++++'],
    ]);
  });

  it('says which vendors are restored by Disconnect', () => {
    const byDisconnect = VENDORS.filter((v) => profiles.disconnectOnRestore(v));
    expect(byDisconnect).toEqual(['generic', 'mikrotik', 'accel-ppp', 'huawei', 'ericsson']);
    expect(profiles.coaRestrict('generic', snapshot())).toEqual([]);
  });
});

describe('rate change per vendor, through the codec', () => {
  const SLOWER: RateSpeed = { downKbps: 20_000, upKbps: 10_000 };
  const TOLD: RateSpeed = { downKbps: 100_000, upKbps: 50_000 };
  const cases: Record<VendorName, { by: RateChangeBy; attrs: [string, unknown][] }> = {
    generic: { by: 'disconnect', attrs: [] },
    // rx/tx from the router: the subscriber's upload first, as in the accept.
    mikrotik: { by: 'coa', attrs: [['Mikrotik-Rate-Limit', '10000k/20000k']] },
    'accel-ppp': { by: 'coa', attrs: [['Filter-Id', '20000/10000']] },
    // Upstream 10 Mbit/s with 1.5 s of burst (1,875,000 bytes), downstream 20 Mbit/s (3,750,000 bytes).
    cisco: { by: 'coa', attrs: [['Cisco-Account-Info', 'QU;10000000;1875000;D;20000000;3750000']] },
    // The instance in force is named by its arguments (the previous speed), then activated with the new ones.
    juniper: {
      by: 'coa',
      attrs: [
        ['ERX-Service-Deactivate', 'INTERNET(50000000,100000000)'],
        ['ERX-Service-Activate:1', 'INTERNET(10000000,20000000)'],
      ],
    },
    huawei: { by: 'coa', attrs: [['Huawei-Input-Average-Rate', 10_000_000], ['Huawei-Output-Average-Rate', 20_000_000]] },
    ericsson: { by: 'coa', attrs: [['Qos-Policing-Profile-Name', 'up-10000k'], ['Qos-Metering-Profile-Name', 'down-20000k']] },
    vasexperts: { by: 'coa', attrs: [['VasExperts-Policing-Profile', 'BV##20000#10000#++++++++']] },
  };

  for (const vendor of VENDORS) {
    const c = cases[vendor];
    it(`${vendor}: ${c.by === 'coa' ? 'a CoA with the new speed' : 'by Disconnect'}`, () => {
      expect(profiles.rateChangeBy(vendor)).toBe(c.by);
      expect(decoded(profiles.rateChange(vendor, snapshot(), SLOWER, TOLD))).toEqual(c.attrs);
    });
  }

  it('MikroTik Rate-Limit in the CoA: exact bytes', () => {
    const [attr] = profiles.rateChange('mikrotik', snapshot(), SLOWER);
    const text = Buffer.from('10000k/20000k', 'ascii'); // 13 octets
    const expected = Buffer.concat([Buffer.from([0x1a, 21, 0x00, 0x00, 0x3a, 0x8c]), Buffer.from([0x08, 15]), text]);
    expect(wire([attr!]).toString('hex')).toBe(expected.toString('hex'));
  });

  it('renders the new speed, not the tariff, in every speed variable, for a subscriber without a tariff too', () => {
    const p = VendorProfiles.compile(dict, {
      mikrotik: { rateChange: { 'Mikrotik-Rate-Limit': '${upMbps}M/${downMbps}M', 'Mikrotik-Group': '${upBps}/${downBps}/${upBurstBytes}/${downBurstBytes}' } },
    });
    const speed = { downKbps: 1500, upKbps: 512 };
    for (const s of [snapshot(), snapshot({ tariff: null })]) {
      expect(decoded(p.rateChange('mikrotik', s, speed))).toEqual([
        ['Mikrotik-Rate-Limit', '0.512M/1.5M'],
        ['Mikrotik-Group', '512000/1500000/96000/281250'],
      ]);
    }
    // The accept still renders the tariff.
    expect(decoded(p.accept('mikrotik', snapshot()))[1]).toEqual(['Mikrotik-Rate-Limit', '50000k/100000k']);
  });

  it('keys the cache on the speed, so two speeds for one subscriber never share an answer', () => {
    const p = VendorProfiles.compile(dict);
    const slow = p.rateChange('huawei', snapshot(), SLOWER);
    const fast = p.rateChange('huawei', snapshot(), TOLD);
    expect(decoded(fast)).toEqual([['Huawei-Input-Average-Rate', 50_000_000], ['Huawei-Output-Average-Rate', 100_000_000]]);
    expect(p.rateChange('huawei', snapshot(), { ...SLOWER })).toBe(slow);
    // The accept's entry for the same subscriber is not the rate change's.
    expect(decoded(p.accept('huawei', snapshot()))[1]).toEqual(['Huawei-Input-Average-Rate', 50_000_000]);
    expect(p.cachedEntries).toBe(3);
  });

  it('Juniper without the previous speed has nothing to send (the action disconnects instead)', () => {
    expect(profiles.rateChange('juniper', snapshot(), SLOWER)).toEqual([]);
    expect(profiles.rateChange('juniper', snapshot(), SLOWER, null)).toEqual([]);
    // A vendor that does not read the previous speed does not need it.
    expect(decoded(profiles.rateChange('vasexperts', snapshot(), SLOWER, null))).toEqual(cases.vasexperts.attrs);
  });

  it('refuses a speed that is not whole kbit/s', () => {
    expect(() => profiles.rateChange('mikrotik', snapshot(), { downKbps: 1.5, upKbps: 1 })).toThrow(/speed\.downKbps must be a non-negative integer/);
    expect(() => profiles.rateChange('mikrotik', snapshot(), { downKbps: 1, upKbps: -1 })).toThrow(RangeError);
    expect(() => profiles.rateChange('juniper', snapshot(), SLOWER, { downKbps: Number.NaN, upKbps: 1 })).toThrow(/previous\.downKbps/);
  });
});

describe('placeholders', () => {
  it('leave out an attribute whose variable is empty for the subscriber', () => {
    const s = snapshot({ framedIp: null, framedPool: 'pool-a', tariff: null });
    expect(decoded(profiles.accept('mikrotik', s))).toEqual([['Framed-Pool', 'pool-a'], INTERIM]);
    expect(decoded(profiles.accept('huawei', s))).toEqual([['Framed-Pool', 'pool-a'], INTERIM]);
  });

  it('treat an empty string in the data as empty', () => {
    expect(decoded(profiles.accept('generic', snapshot({ framedIp: '', framedPool: '' })))).toEqual([INTERIM]);
  });

  it('leave out an attribute whose profile constant is empty (Huawei portalUrl by default), and send it once set', () => {
    expect(decoded(profiles.redirect('huawei', snapshot()).attributes).map(([n]) => n)).not.toContain('Huawei-PortalURL');
    const withUrl = VendorProfiles.compile(dict, { huawei: { vars: { portalUrl: 'http://portal.isp.example/' } } });
    expect(decoded(withUrl.redirect('huawei', snapshot()).attributes)).toEqual([
      IP,
      ['Huawei-Policy-Name', 'unpaid'],
      ['Huawei-PortalURL', 'http://portal.isp.example/'],
      INTERIM,
    ]);
  });

  it('clientIp falls back to the Framed-IP-Address of the Access-Request (SKAT L3 BRAS)', () => {
    const dynamic = snapshot({ framedIp: null });
    const names = (attrs: readonly RawAttribute[]): string[] => decoded(attrs).map(([n]) => n);
    expect(names(profiles.redirect('vasexperts', dynamic).attributes)).not.toContain('Framed-IP-Address');
    const r = profiles.redirect('vasexperts', dynamic, { framedIp: '100.64.0.9' });
    expect(decoded(r.attributes)[0]).toEqual(['Framed-IP-Address', '100.64.0.9']);
    // The subscriber's own static address wins over the request's.
    expect(decoded(profiles.accept('vasexperts', snapshot(), { framedIp: '100.64.0.9' }))[0]).toEqual(IP);
  });

  it('offer Mbit/s and bit/s forms of the tariff speeds', () => {
    const p = VendorProfiles.compile(dict, {
      mikrotik: { accept: { 'Mikrotik-Rate-Limit': '${upMbps}M/${downMbps}M', 'Mikrotik-Group': '${tariff} #${tariffId}' } },
    });
    const s = snapshot({ tariff: { id: 9, name: 'Lite', downKbps: 1500, upKbps: 512 } });
    expect(decoded(p.accept('mikrotik', s))).toEqual([IP, ['Mikrotik-Rate-Limit', '0.512M/1.5M'], INTERIM, ['Mikrotik-Group', 'Lite #9']]);
  });
});

describe('tags', () => {
  it('ERX-Service-Activate:1 carries tag 1 as the first value octet', () => {
    const vsa = profiles.accept('juniper', snapshot())[1]!;
    expect(vsa.type).toBe(26);
    expect(vsa.value.readUInt32BE(0)).toBe(4874);
    expect(vsa.value[4]).toBe(65); // Vendor-Type
    expect(vsa.value[5]).toBe(2 + 1 + 'INTERNET(50000000,100000000)'.length); // Vendor-Length with the tag octet
    expect(vsa.value[6]).toBe(1); // tag
    expect(vsa.value.subarray(7).toString()).toBe('INTERNET(50000000,100000000)');
  });

  it('an override may activate a second service under another tag', () => {
    const p = VendorProfiles.compile(dict, { juniper: { accept: { 'ERX-Service-Activate:2': 'IPTV' } } });
    expect(decoded(p.accept('juniper', snapshot()))).toEqual([
      IP,
      ['ERX-Service-Activate:1', 'INTERNET(50000000,100000000)'],
      INTERIM,
      ['ERX-Service-Activate:2', 'IPTV'],
    ]);
  });
});

describe('overrides', () => {
  it('replace one attribute of a built-in profile and keep the rest in place', () => {
    const p = VendorProfiles.compile(dict, { mikrotik: { accept: { 'Mikrotik-Rate-Limit': '${upKbps}k/${downKbps}k 0/0 0/0 0/0 8' } } });
    expect(decoded(p.accept('mikrotik', snapshot()))).toEqual([IP, ['Mikrotik-Rate-Limit', '50000k/100000k 0/0 0/0 0/0 8'], INTERIM]);
    // Other vendors and other sets are untouched.
    expect(decoded(p.redirect('mikrotik', snapshot()).attributes)).toEqual([IP, ['Mikrotik-Address-List', 'unpaid'], INTERIM]);
    expect(decoded(p.accept('cisco', snapshot()))).toEqual([IP, ['Cisco-Account-Info', POLICING], INTERIM]);
  });

  it('match attribute names case-insensitively', () => {
    const p = VendorProfiles.compile(dict, { mikrotik: { accept: { 'mikrotik-rate-limit': '1M/1M' } } });
    expect(decoded(p.accept('mikrotik', snapshot()))).toEqual([IP, ['Mikrotik-Rate-Limit', '1M/1M'], INTERIM]);
  });

  it('remove a built-in attribute with null, and add new ones at the end', () => {
    const p = VendorProfiles.compile(dict, { generic: { accept: { 'Framed-IP-Address': null, 'Session-Timeout': 86400 } } });
    expect(decoded(p.accept('generic', snapshot()))).toEqual([INTERIM, ['Session-Timeout', 86400]]);
  });

  it('change constants, the redirect code and the restore method', () => {
    const p = VendorProfiles.compile(dict, {
      mikrotik: { vars: { unpaidList: 'debtors', interimInterval: 600 }, redirect: { code: 'Access-Reject' }, disconnectOnRestore: false },
    });
    const r = p.redirect('mikrotik', snapshot());
    expect(r.code).toBe(Code.AccessReject);
    expect(decoded(r.attributes)).toEqual([IP, ['Mikrotik-Address-List', 'debtors'], ['Acct-Interim-Interval', 600]]);
    expect(p.disconnectOnRestore('mikrotik')).toBe(false);
  });

  it('replace and remove (null) rate-change attributes, and switch the method', () => {
    const p = VendorProfiles.compile(dict, {
      mikrotik: { rateChange: { 'mikrotik-rate-limit': '${upKbps}k/${downKbps}k 0/0 0/0 0/0 8' } },
      huawei: { rateChange: { 'Huawei-Input-Average-Rate': null } },
      vasexperts: { rateChangeBy: 'disconnect' },
    });
    const speed = { downKbps: 20_000, upKbps: 10_000 };
    expect(decoded(p.rateChange('mikrotik', snapshot(), speed))).toEqual([['Mikrotik-Rate-Limit', '10000k/20000k 0/0 0/0 0/0 8']]);
    expect(decoded(p.rateChange('huawei', snapshot(), speed))).toEqual([['Huawei-Output-Average-Rate', 20_000_000]]);
    expect(p.rateChangeBy('vasexperts')).toBe('disconnect');
    // Untouched elsewhere: the accept keeps its Rate-Limit, the other vendors their method.
    expect(decoded(p.accept('mikrotik', snapshot()))[1]).toEqual(['Mikrotik-Rate-Limit', '50000k/100000k']);
    expect(p.rateChangeBy('mikrotik')).toBe('coa');
  });

  it('give a generic NAS a rate-change CoA of its own', () => {
    const p = VendorProfiles.compile(dict, { generic: { rateChange: { 'Filter-Id': 'speed-${downKbps}' }, rateChangeBy: 'coa' } });
    expect(p.rateChangeBy('generic')).toBe('coa');
    expect(decoded(p.rateChange('generic', snapshot(), { downKbps: 20_000, upKbps: 10_000 }))).toEqual([['Filter-Id', 'speed-20000']]);
  });

  it('come from the config schema: parsed, then compiled', () => {
    const { value: parsed, issues } = checkSection(
      profilesSchema,
      {
        mikrotik: { accept: { 'Mikrotik-Rate-Limit': '2M/4M', 'Framed-Pool': null }, redirect: { attributes: { 'Mikrotik-Rate-Limit': '512k/512k' } } },
        cisco: { coaRestrict: { 'Cisco-AVPair': ['subscriber:command=activate-service', 'subscriber:service-name=PORTAL'] } },
        juniper: { rateChange: { 'ERX-Service-Deactivate': '${internetService}' }, rateChangeBy: 'coa' },
        huawei: { rateChange: { 'Huawei-Input-Average-Rate': null }, rateChangeBy: 'disconnect' },
      },
      'vendors',
    );
    expect(issues).toEqual([]);
    expect(parsed?.huawei).toEqual({ rateChange: { 'Huawei-Input-Average-Rate': null }, rateChangeBy: 'disconnect' });
    const p = VendorProfiles.compile(dict, parsed ?? {});
    expect(decoded(p.accept('mikrotik', snapshot({ framedPool: 'pool-a' })))).toEqual([IP, ['Mikrotik-Rate-Limit', '2M/4M'], INTERIM]);
    expect(decoded(p.redirect('mikrotik', snapshot()).attributes)).toEqual([
      IP,
      ['Mikrotik-Address-List', 'unpaid'],
      ['Mikrotik-Rate-Limit', '512k/512k'],
      INTERIM,
    ]);
    expect(decoded(p.coaRestrict('cisco', snapshot()))[1]).toEqual(['Cisco-AVPair', 'subscriber:service-name=PORTAL']);
    // JunosE-style deactivation by bare name: no previous speed needed any more.
    expect(decoded(p.rateChange('juniper', snapshot(), { downKbps: 20_000, upKbps: 10_000 }))).toEqual([
      ['ERX-Service-Deactivate', 'INTERNET'],
      ['ERX-Service-Activate:1', 'INTERNET(10000000,20000000)'],
    ]);
    expect(p.rateChangeBy('huawei')).toBe('disconnect');
  });

  it('the schema names every malformed key at once', () => {
    const { issues } = checkSection(
      profilesSchema,
      {
        mikrotk: {},
        cisco: { acept: {}, redirect: { code: 'Access-Challenge' }, accept: { 'Cisco-AVPair': { a: 1 }, 'Cisco-Account-Info': ['Ax', true] } },
        juniper: { vars: { internetService: ['x'] }, disconnectOnRestore: 'maybe' },
        huawei: { rateChangeBy: 'maybe', rateChange: { 'Huawei-Input-Average-Rate': { rate: 1 } } },
        ericsson: { rateChangeBy: true, ratechange: {} },
      },
      'vendors',
    );
    expect(issues.map((i) => i.key).sort()).toEqual(
      [
        'vendors.mikrotk',
        'vendors.cisco.acept',
        'vendors.cisco.redirect.code',
        'vendors.cisco.accept.Cisco-AVPair',
        'vendors.cisco.accept.Cisco-Account-Info[1]',
        'vendors.juniper.vars.internetService',
        'vendors.juniper.disconnectOnRestore',
        'vendors.huawei.rateChangeBy',
        'vendors.huawei.rateChange.Huawei-Input-Average-Rate',
        'vendors.ericsson.rateChangeBy',
        'vendors.ericsson.ratechange',
      ].sort(),
    );
  });

  it('the schema defaults to no overrides', () => {
    expect(checkSection(profilesSchema, undefined, 'vendors')).toEqual({ value: {}, issues: [] });
  });
});

describe('compilation errors name the key', () => {
  it('an unknown attribute name', () => {
    const err = configError(() => VendorProfiles.compile(dict, { mikrotik: { accept: { 'Mikrotik-Rate-Limt': '1M/1M' } } }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.issues).toEqual([{ key: 'vendors.mikrotik.accept.Mikrotik-Rate-Limt', message: 'attribute not in the dictionary' }]);
    expect(err.message).toContain('vendors.mikrotik.accept.Mikrotik-Rate-Limt: attribute not in the dictionary');
  });

  it.each<[string, ProfileOverrides, string, RegExp]>([
    ['a constant value that does not fit the type', { generic: { accept: { 'Framed-IP-Address': '10.0.0.300' } } }, 'vendors.generic.accept.Framed-IP-Address', /Framed-IP-Address/],
    ['a constant that does not fit an integer', { generic: { vars: { interimInterval: 'often' } } }, 'vendors.generic.accept.Acct-Interim-Interval', /"often"/],
    ['a template that cannot encode for any subscriber', { huawei: { accept: { 'Huawei-Input-Average-Rate': '${upKbps}k' } } }, 'vendors.huawei.accept.Huawei-Input-Average-Rate', /sample value "50000k"/],
    ['a tag on an attribute without has_tag', { mikrotik: { accept: { 'Mikrotik-Rate-Limit:2': '1M/1M' } } }, 'vendors.mikrotik.accept.Mikrotik-Rate-Limit:2', /takes no tag/],
    ['a tag out of range', { juniper: { accept: { 'ERX-Service-Activate:32': 'X' } } }, 'vendors.juniper.accept.ERX-Service-Activate:32', /tag 32 is not 1\.\.31/],
    ['an unknown variable', { mikrotik: { accept: { 'Mikrotik-Rate-Limit': '${upKbps}k/${downKbs}k' } } }, 'vendors.mikrotik.accept.Mikrotik-Rate-Limit', /unknown variable \$\{downKbs\}/],
    ['an unclosed placeholder', { mikrotik: { redirect: { attributes: { 'Mikrotik-Address-List': '${unpaidList' } } } }, 'vendors.mikrotik.redirect.attributes.Mikrotik-Address-List', /unclosed/],
    ['a list item', { cisco: { coaRestrict: { 'Cisco-AVPair': ['subscriber:command=activate-service', 'subscriber:service-name=${svc}'] } } }, 'vendors.cisco.coaRestrict.Cisco-AVPair[1]', /unknown variable \$\{svc\}/],
    ['a constant redefining a subscriber variable', { cisco: { vars: { framedIp: '1.2.3.4' } } }, 'vendors.cisco.vars.framedIp', /subscriber variable/],
    ['a malformed constant name', { cisco: { vars: { 'portal-url': 'x' } } }, 'vendors.cisco.vars.portal-url', /variable name/],
    ['an unknown vendor', { nokia: {} } as ProfileOverrides, 'vendors.nokia', /not a vendor/],
    ['an unknown rate-change attribute', { huawei: { rateChange: { 'Huawei-Input-Average-Rat': '${upBps}' } } }, 'vendors.huawei.rateChange.Huawei-Input-Average-Rat', /not in the dictionary/],
    ['a rate-change template that cannot encode', { huawei: { rateChange: { 'Huawei-Input-Average-Rate': '${upKbps}k' } } }, 'vendors.huawei.rateChange.Huawei-Input-Average-Rate', /sample value "50000k"/],
    ['the previous speed outside rateChange', { juniper: { coaRestrict: { 'ERX-Service-Deactivate': '${internetService}(${prevUpBps},${prevDownBps})' } } }, 'vendors.juniper.coaRestrict.ERX-Service-Deactivate', /only rateChange templates/],
    ['a rateChangeBy that is neither coa nor disconnect', { mikrotik: { rateChangeBy: 'reconnect' } } as unknown as ProfileOverrides, 'vendors.mikrotik.rateChangeBy', /must be one of coa, disconnect/],
  ])('%s', (_label, overrides, key, message) => {
    const err = configError(() => VendorProfiles.compile(dict, overrides));
    const issue = err.issues.find((i) => i.key === key);
    expect(issue, JSON.stringify(err.issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
  });

  it('rateChangeBy coa with no rate-change attribute, naming the key', () => {
    for (const overrides of [
      { generic: { rateChangeBy: 'coa' } },
      { mikrotik: { rateChange: { 'Mikrotik-Rate-Limit': null } } },
      // Every attribute switched off by an empty constant is nothing to send either.
      { 'accel-ppp': { vars: { speed: '' }, rateChange: { 'Filter-Id': '${speed}' } } },
    ] satisfies ProfileOverrides[]) {
      const err = configError(() => VendorProfiles.compile(dict, overrides));
      const vendor = Object.keys(overrides)[0]!;
      expect(err.issues).toEqual([{ key: `vendors.${vendor}.rateChangeBy`, message: expect.stringMatching(new RegExp(`^is "coa" but vendors\\.${vendor}\\.rateChange has no attribute to send`)) }]);
    }
    // The same with rateChangeBy: disconnect is a consistent profile.
    const p = VendorProfiles.compile(dict, { mikrotik: { rateChange: { 'Mikrotik-Rate-Limit': null }, rateChangeBy: 'disconnect' } });
    expect(p.rateChangeBy('mikrotik')).toBe('disconnect');
    expect(p.rateChange('mikrotik', snapshot(), { downKbps: 1, upKbps: 1 })).toEqual([]);
  });

  it('every problem at once, across vendors', () => {
    const err = configError(() =>
      VendorProfiles.compile(dict, {
        mikrotik: { accept: { 'Mikrotik-Rate-Limt': '1M/1M' } },
        cisco: { coaRestore: { 'Cisco-Nope': 'x' } },
        juniper: { vars: { redirectService: '${x}' }, redirect: { attributes: { 'ERX-Service-Activate:99': 'Y' } } },
      }),
    );
    expect(err.issues.map((i) => i.key)).toEqual([
      'vendors.mikrotik.accept.Mikrotik-Rate-Limt',
      'vendors.cisco.coaRestore.Cisco-Nope',
      'vendors.juniper.redirect.attributes.ERX-Service-Activate:99',
    ]);
    expect(err.message).toMatch(/^config: 3 problem\(s\) in the vendor profiles:\n {2}vendors\.mikrotik/);
  });

  it('a subscriber value that does not encode fails the request with the key named', () => {
    const tenGig = snapshot({ tariff: { id: 5, name: '10G', downKbps: 10_000_000, upKbps: 1_000_000 } });
    try {
      profiles.accept('huawei', tenGig);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RadiusError);
      expect((err as RadiusError).code).toBe('RADIUS_ENCODE_VALUE');
      expect((err as RadiusError).message).toMatch(/^vendors\.huawei\.accept\.Huawei-Output-Average-Rate: .*"alice"/);
    }
  });
});

describe('answer cache', () => {
  it('answers the same subscriber with the same prepared array, frozen', () => {
    const p = VendorProfiles.compile(dict);
    const a = p.accept('mikrotik', snapshot());
    expect(p.accept('mikrotik', snapshot())).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(p.cachedEntries).toBe(1);
  });

  it('shares an entry between subscribers of one tariff and pool when no template uses the username', () => {
    const p = VendorProfiles.compile(dict);
    const alice = snapshot({ framedIp: null, framedPool: 'pool-a' });
    const bob = snapshot({ framedIp: null, framedPool: 'pool-a', username: 'bob', subscriberId: 8 });
    expect(p.accept('mikrotik', bob)).toBe(p.accept('mikrotik', alice));
    // SKAT's templates carry the login: one entry each.
    expect(p.accept('vasexperts', bob)).not.toBe(p.accept('vasexperts', alice));
    expect(decoded(p.accept('vasexperts', bob))[0]).toEqual(['VasExperts-UserName', 'bob']);
  });

  it('keys on the values, so an edited tariff is never answered from a stale entry', () => {
    const p = VendorProfiles.compile(dict);
    p.accept('mikrotik', snapshot());
    const faster = snapshot({ tariff: { id: 4, name: 'Home 100', downKbps: 200_000, upKbps: 50_000 } });
    expect(decoded(p.accept('mikrotik', faster))[1]).toEqual(['Mikrotik-Rate-Limit', '50000k/200000k']);
  });

  it('does not cache sets without subscriber variables: one prepared array', () => {
    const p = VendorProfiles.compile(dict);
    const r = p.redirect('generic', snapshot());
    expect(p.redirect('generic', snapshot({ username: 'bob', framedIp: null })).attributes).toBe(r.attributes);
    expect(p.cachedEntries).toBe(0);
  });

  it('is bounded: the oldest entry goes first', () => {
    const p = VendorProfiles.compile(dict, {}, { cacheSize: 2 });
    const first = p.accept('mikrotik', snapshot({ framedIp: '10.0.0.1' }));
    p.accept('mikrotik', snapshot({ framedIp: '10.0.0.2' }));
    p.accept('mikrotik', snapshot({ framedIp: '10.0.0.3' }));
    expect(p.cachedEntries).toBe(2);
    const again = p.accept('mikrotik', snapshot({ framedIp: '10.0.0.1' }));
    expect(again).not.toBe(first);
    expect(wire(again)).toEqual(wire(first));
  });

  it('can be switched off', () => {
    const p = VendorProfiles.compile(dict, {}, { cacheSize: 0 });
    expect(decoded(p.accept('mikrotik', snapshot()))).toEqual([IP, ['Mikrotik-Rate-Limit', '50000k/100000k'], INTERIM]);
    expect(p.cachedEntries).toBe(0);
  });

  it('keys cannot collide through separators inside values', () => {
    const p = VendorProfiles.compile(dict);
    const a = p.accept('generic', snapshot({ framedIp: null, framedPool: 'a|1:b' }));
    const b = p.accept('generic', snapshot({ framedIp: null, framedPool: 'a' }));
    expect(decoded(a)[0]).toEqual(['Framed-Pool', 'a|1:b']);
    expect(decoded(b)[0]).toEqual(['Framed-Pool', 'a']);
  });
});
