/**
 * The console's routes that need the running daemon, against real Access-Requests: the reply preview equals the
 * reply a real Access-Request gets (accept and redirect, a config-file client with the MikroTik profile and a
 * database NAS with the VAS Experts one), and the NAS status reports a NAS as last seen after its request (the
 * in-memory time written by the RADIUS role) with its Message-Authenticator counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAttributes } from '../../src/aaa/reply-preview.js';
import { Attr, Code, codeName } from '../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator } from '../../src/radius/crypto.js';
import { parsePacket } from '../../src/radius/packet.js';
import { rederiveAccountStates } from '../../src/store/account-state.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { exchange } from '../helpers/udp-client.js';
import { SECRET, startTestDaemon, testConfigInput, type TestDaemon } from '../helpers/daemon.js';

const TOKEN = 'integration-admin-token-console-7f2e';
const ids: Record<string, number> = {};
let skatId = 0;

async function seed(sql: Sql): Promise<void> {
  const store = createStore(sql);
  const tariff = await store.tariffs.create({ name: 'Home 100', monthlyFee: 50_000, downKbps: 100_000, upKbps: 50_000 });
  const make = async (username: string, balance: number, extra: object = {}): Promise<void> => {
    const account = await store.accounts.create({});
    if (balance !== 0) {
      await sql.transaction(async (tx) => {
        await tx.query(`INSERT INTO adjustments (account_id, amount, reason) VALUES ($1, $2, 'test')`, [account.id, balance]);
        await tx.query('UPDATE accounts SET balance = balance + $2 WHERE id = $1', [account.id, balance]);
        await rederiveAccountStates(tx, [account.id], 'test');
      });
    }
    ids[username] = (await store.subscribers.create({ username, password: `${username}-pw`, accountId: account.id, tariffId: tariff.id, ...extra })).id;
  };
  await make('funded', 10_000, { framedIp: '100.64.1.10' });
  await make('debtor', -1, { framedIp: '100.64.1.11' });
  await make('disabled', 10_000, { status: 'disabled' });
  skatId = (await store.nas.create({ name: 'skat', address: '127.0.0.5', secret: SECRET, vendor: 'vasexperts' })).id;
}

type Preview = { nas: { id: number | null; name: string; vendor: string }; result: string; reason: string | null; code: string; attributes: { name: string; vendor: string | null; value: string }[] };
type NasStatus = { id: number | null; source: string; name: string; lastSeenAt: string | null; messageAuthenticator: { setting: unknown; required: boolean; counts: { first: number } | null } };

describe('console routes on the running daemon', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    d = await startTestDaemon(testConfigInput({ admin: { listen: '127.0.0.1', port: 0, token: TOKEN }, users: [] }), seed);
  });
  afterAll(() => d?.stop());

  /** A PAP Access-Request with Message-Authenticator from `from`; the reply's code and attributes as the console shows them. */
  async function access(username: string, from: string): Promise<{ code: string; attributes: Preview['attributes'] }> {
    const authenticator = randomAuthenticator();
    const secret = Buffer.from(SECRET);
    const request = encodeRequest(
      Code.AccessRequest,
      7,
      [
        { type: Attr.UserName, value: Buffer.from(username) },
        { type: Attr.UserPassword, value: hidePassword(Buffer.from(`${username}-pw`), secret, authenticator) },
      ],
      secret,
      { messageAuthenticator: true, authenticator },
    );
    const reply = await exchange(d.app.ports.auth, request, { from });
    if (!reply) throw new Error(`no reply to ${username} from ${from}`);
    const packet = parsePacket(reply);
    const attributes = describeAttributes(d.app.dictionary, packet.attributes).filter((a) => a.name !== 'Message-Authenticator');
    return { code: codeName(packet.code), attributes };
  }

  async function preview(username: string, nas: string): Promise<Preview> {
    const r = await d.api.call('GET', `/api/v1/subscribers/${ids[username]}/reply-preview?nas=${encodeURIComponent(nas)}`);
    expect(r.status, r.text).toBe(200);
    return r.json as unknown as Preview;
  }

  it.each([
    ['funded', 'bras-v4', '127.0.0.1', 'accept'],
    ['debtor', 'bras-v4', '127.0.0.1', 'redirect'],
    ['disabled', 'bras-v4', '127.0.0.1', 'reject'],
    ['funded', 'skat', '127.0.0.5', 'accept'],
    ['debtor', 'skat', '127.0.0.5', 'redirect'],
  ])('the preview of %s on %s is the reply a real Access-Request gets (%s)', async (username, nas, from, result) => {
    const p = await preview(username, nas);
    expect(p.result).toBe(result);
    const real = await access(username, from);
    expect({ code: p.code, attributes: p.attributes }).toEqual(real);
  });

  it('names the NAS by id too, shows the attributes with their vendor, and refuses an unknown NAS', async () => {
    const p = await preview('funded', String(skatId));
    expect(p.nas).toEqual({ id: skatId, name: 'skat', vendor: 'vasexperts' });
    expect(p.attributes).toContainEqual({ name: 'VasExperts-Policing-Profile', vendor: 'VasExperts', value: 'BV##100000#50000#++++++++' });
    expect(p.attributes.at(-1)).toEqual({ name: 'Class', vendor: null, value: 'tollgate:normal' });
    const mikrotik = await preview('funded', 'bras-v4');
    expect(mikrotik.nas).toEqual({ id: null, name: 'bras-v4', vendor: 'mikrotik' });
    expect(mikrotik.attributes).toContainEqual({ name: 'Mikrotik-Rate-Limit', vendor: 'Mikrotik', value: '50000k/100000k' });
    const unknown = await d.api.call('GET', `/api/v1/subscribers/${ids.funded}/reply-preview?nas=nowhere`);
    expect(unknown.status).toBe(404);
    expect((await d.api.call('GET', `/api/v1/subscribers/${ids.funded}/reply-preview`)).status).toBe(400);
  });

  it('lists the vendor profiles as configured', async () => {
    const r = await d.api.call('GET', '/api/v1/vendor-profiles');
    expect(r.status).toBe(200);
    const items = (r.json as { items: { vendor: string; redirect: { code: string } }[] }).items;
    expect(items.map((i) => i.vendor)).toContain('vasexperts');
    expect(items.find((i) => i.vendor === 'vasexperts')?.redirect.code).toBe('Access-Reject');
  });

  it('reports a NAS last seen after its request, with its Message-Authenticator counts', async () => {
    type Row = { updatedAt: string; messageAuthenticator: { seenAt: string | null } };
    const nasRow = async (): Promise<Row> => (await d.api.call('GET', `/api/v1/nas/${skatId}`)).json as unknown as Row;
    // The auto row's first Message-Authenticator (an earlier test's request) is stored, and moves updatedAt, first.
    for (let i = 0; i < 100 && (await nasRow()).messageAuthenticator.seenAt === null; i++) await new Promise((r) => setTimeout(r, 50));
    const before = await nasRow();
    await access('funded', '127.0.0.5');
    await d.app.flushNasLastSeen();
    const r = await d.api.call('GET', '/api/v1/nas-status');
    expect(r.status, r.text).toBe(200);
    const items = (r.json as { items: NasStatus[] }).items;
    const skat = items.find((i) => i.name === 'skat');
    expect(skat).toMatchObject({ id: skatId, source: 'database' });
    expect(Date.now() - Date.parse(skat!.lastSeenAt!)).toBeLessThan(60_000);
    expect(skat!.messageAuthenticator.counts!.first).toBeGreaterThanOrEqual(1);
    const bras = items.find((i) => i.name === 'bras-v4');
    expect(bras).toMatchObject({ id: null, source: 'config', messageAuthenticator: { setting: true, required: true } });
    expect(bras!.lastSeenAt).not.toBeNull();
    // A client that sent nothing has never been seen.
    expect(items.find((i) => i.name === 'legacy-open')?.lastSeenAt).toBeNull();
    // The sighting is not a change of the row: its updatedAt stays.
    expect((await nasRow()).updatedAt).toBe(before.updatedAt);
  });
});
