/**
 * The CoA actions without a network: a sender played by the test records each request (kind, action, attributes)
 * and answers ACK, NAK or timeout as told, so what `rateChange` sends is asserted attribute by attribute through the
 * shipped dictionary — the session identity first, then the vendor's rate-change attributes for the new speed —
 * along with its Disconnect paths: the profile's rateChangeBy, a NAK, and a CoA that cannot be built. The UDP
 * client, its audit rows and the restrict/restore paths over a socket are test/integration/coa.test.ts's.
 */
import { describe, expect, it } from 'vitest';
import { VendorProfiles, type ProfileOverrides } from '../../../src/aaa/vendor-profiles.js';
import { rateChange, restore, type CoaSession, type CoaTarget } from '../../../src/coa/actions.js';
import type { CoaOutcome, CoaRequest, CoaResult } from '../../../src/coa/client.js';
import { shippedDictionary } from '../../../src/app/paths.js';
import { loadDictionaryFiles } from '../../../src/config/dictionary-files.js';
import type { VendorName } from '../../../src/domain/types.js';
import { decodeAttributes } from '../../../src/radius/index.js';
import { snapshot } from '../../helpers/snapshot.js';

const dict = loadDictionaryFiles([shippedDictionary()]);
const profiles = VendorProfiles.compile(dict);

const SESSION: CoaSession = { id: 41, username: 'alice', acctSessionId: 'sess-41', framedIp: '100.64.0.7' };
const IDENTITY: [string, unknown][] = [
  ['User-Name', 'alice'],
  ['Acct-Session-Id', 'sess-41'],
  ['Framed-IP-Address', '100.64.0.7'],
];
const SLOWER = { downKbps: 20_000, upKbps: 10_000 };
const TOLD = { downKbps: 100_000, upKbps: 50_000 };

/** Records every request and answers per kind from `answers` (default: ACK). */
class RecordingSender {
  readonly sent: CoaRequest[] = [];
  constructor(private readonly answers: Partial<Record<CoaRequest['kind'], CoaResult>> = {}) {}

  send(req: CoaRequest): Promise<CoaOutcome> {
    this.sent.push(req);
    const result = this.answers[req.kind] ?? 'ack';
    const outcome: CoaOutcome = result === 'nak' ? { result, errorCause: 503, attempts: 1, transport: 'udp' } : { result, attempts: 1, transport: 'udp' };
    return Promise.resolve(outcome);
  }

  /** kind, action and the decoded attributes of each request, in order. */
  get requests(): { kind: string; action: string; sessionId: number | null | undefined; attributes: [string, unknown][] }[] {
    return this.sent.map((r) => ({
      kind: r.kind,
      action: r.action,
      sessionId: r.sessionId,
      attributes: decodeAttributes(dict, r.attributes).map((a) => [a.tag !== undefined && a.tag !== 0 ? `${a.name}:${a.tag}` : a.name, a.value] as [string, unknown]),
    }));
  }
}

function target(vendor: VendorName): CoaTarget {
  return { name: `bras-${vendor}`, address: '192.0.2.10', secret: Buffer.from('s3cret'), coaPort: 3799, vendor };
}

describe('rateChange: a CoA-Request with the identity and the vendor attributes for the new speed', () => {
  const cases: Partial<Record<VendorName, [string, unknown][]>> = {
    mikrotik: [['Mikrotik-Rate-Limit', '10000k/20000k']],
    'accel-ppp': [['Filter-Id', '20000/10000']],
    cisco: [['Cisco-Account-Info', 'QU;10000000;1875000;D;20000000;3750000']],
    juniper: [
      ['ERX-Service-Deactivate', 'INTERNET(50000000,100000000)'],
      ['ERX-Service-Activate:1', 'INTERNET(10000000,20000000)'],
    ],
    huawei: [['Huawei-Input-Average-Rate', 10_000_000], ['Huawei-Output-Average-Rate', 20_000_000]],
    ericsson: [['Qos-Policing-Profile-Name', 'up-10000k'], ['Qos-Metering-Profile-Name', 'down-20000k']],
    vasexperts: [['VasExperts-Policing-Profile', 'BV##20000#10000#++++++++']],
  };

  for (const [vendor, attrs] of Object.entries(cases) as [VendorName, [string, unknown][]][]) {
    it(`${vendor}: one CoA, ACKed, no Disconnect`, async () => {
      const sender = new RecordingSender();
      const out = await rateChange(sender, profiles, target(vendor), SESSION, snapshot(), { speed: SLOWER, previous: TOLD });
      expect(out).toEqual({ ok: true, coa: { result: 'ack', attempts: 1, transport: 'udp' } });
      expect(sender.requests).toEqual([{ kind: 'coa', action: 'rate_change', sessionId: 41, attributes: [...IDENTITY, ...attrs] }]);
      expect(sender.sent[0]!.nas.name).toBe(`bras-${vendor}`);
    });
  }

  it('identifies a session without an address or an Acct-Session-Id by what it has', async () => {
    const sender = new RecordingSender();
    await rateChange(sender, profiles, target('mikrotik'), { username: 'bob', acctSessionId: null, framedIp: null }, snapshot({ username: 'bob' }), { speed: SLOWER });
    expect(sender.requests[0]!.attributes).toEqual([['User-Name', 'bob'], ['Mikrotik-Rate-Limit', '10000k/20000k']]);
    expect(sender.requests[0]!.sessionId).toBeNull();
  });
});

describe('rateChange by Disconnect', () => {
  it('generic (rateChangeBy disconnect): a Disconnect-Request with the identity only, no CoA', async () => {
    const sender = new RecordingSender();
    const out = await rateChange(sender, profiles, target('generic'), SESSION, snapshot(), { speed: SLOWER, previous: TOLD });
    expect(out).toEqual({ ok: true, disconnect: { result: 'ack', attempts: 1, transport: 'udp' } });
    expect(sender.requests).toEqual([{ kind: 'disconnect', action: 'rate_change', sessionId: 41, attributes: IDENTITY }]);
  });

  it('an operator may switch a vendor to Disconnect (vendors.<vendor>.rateChangeBy)', async () => {
    const overrides: ProfileOverrides = { vasexperts: { rateChangeBy: 'disconnect' } };
    const sender = new RecordingSender();
    await rateChange(sender, VendorProfiles.compile(dict, overrides), target('vasexperts'), SESSION, snapshot(), { speed: SLOWER });
    expect(sender.requests.map((r) => r.kind)).toEqual(['disconnect']);
  });

  it('a NAKed CoA falls back to a Disconnect-Request, as restore does', async () => {
    const sender = new RecordingSender({ coa: 'nak' });
    const out = await rateChange(sender, profiles, target('huawei'), SESSION, snapshot(), { speed: SLOWER });
    expect(out).toEqual({
      ok: true,
      coa: { result: 'nak', errorCause: 503, attempts: 1, transport: 'udp' },
      disconnect: { result: 'ack', attempts: 1, transport: 'udp' },
    });
    expect(sender.requests.map((r) => [r.kind, r.action])).toEqual([
      ['coa', 'rate_change'],
      ['disconnect', 'rate_change'],
    ]);
    expect(sender.requests[1]!.attributes).toEqual(IDENTITY);
  });

  it('a NAKed CoA and a NAKed Disconnect: not ok', async () => {
    const sender = new RecordingSender({ coa: 'nak', disconnect: 'nak' });
    const out = await rateChange(sender, profiles, target('mikrotik'), SESSION, snapshot(), { speed: SLOWER });
    expect(out.ok).toBe(false);
    expect(out.disconnect?.result).toBe('nak');
  });

  it('a CoA timeout is not followed by a Disconnect (the NAS is unreachable)', async () => {
    const sender = new RecordingSender({ coa: 'timeout' });
    const out = await rateChange(sender, profiles, target('ericsson'), SESSION, snapshot(), { speed: SLOWER });
    expect(out).toEqual({ ok: false, coa: { result: 'timeout', attempts: 1, transport: 'udp' } });
    expect(sender.sent).toHaveLength(1);
  });

  it('Juniper without the previous speed cannot name the instance to deactivate: Disconnect', async () => {
    for (const previous of [undefined, null]) {
      const sender = new RecordingSender();
      const out = await rateChange(sender, profiles, target('juniper'), SESSION, snapshot(), { speed: SLOWER, previous });
      expect(out.ok).toBe(true);
      expect(sender.requests).toEqual([{ kind: 'disconnect', action: 'rate_change', sessionId: 41, attributes: IDENTITY }]);
    }
  });

  it('a speed that is not whole kbit/s is refused before anything is sent', async () => {
    const sender = new RecordingSender();
    await expect(rateChange(sender, profiles, target('mikrotik'), SESSION, snapshot(), { speed: { downKbps: 0.5, upKbps: 1 } })).rejects.toThrow(RangeError);
    expect(sender.sent).toEqual([]);
  });
});

describe('restore is unchanged by the rate change', () => {
  it('Juniper restore still sends coaRestore with the tariff speed, audited as restore', async () => {
    const sender = new RecordingSender();
    await restore(sender, profiles, target('juniper'), SESSION, snapshot());
    expect(sender.requests).toEqual([
      {
        kind: 'coa',
        action: 'restore',
        sessionId: 41,
        attributes: [...IDENTITY, ['ERX-Service-Deactivate', 'REDIRECT'], ['ERX-Service-Activate:1', 'INTERNET(50000000,100000000)']],
      },
    ]);
  });
});
