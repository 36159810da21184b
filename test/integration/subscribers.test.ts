/**
 * Subscribers in the database, through FreeRADIUS's radclient: the decision (accept / redirect / reject),
 * the reply attributes of the NAS's vendor profile, the auth log, and changes made through the admin API
 * reaching the next request — on this instance and on a second one sharing PostgreSQL and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAttributes } from '../../src/radius/decode.js';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator } from '../../src/radius/crypto.js';
import { parsePacket } from '../../src/radius/packet.js';
import { exchange } from '../helpers/udp-client.js';
import { rederiveAccountStates } from '../../src/store/account-state.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { haveRadclient, radclient, radtest } from '../helpers/radclient.js';
import { SECRET, startTestDaemon, testConfigInput, type TestDaemon } from '../helpers/daemon.js';

const TOKEN = 'integration-admin-token-0123';

async function setBalance(sql: Sql, accountId: number, amount: number): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query(`INSERT INTO adjustments (account_id, amount, reason) VALUES ($1, $2, 'test')`, [accountId, amount]);
    await tx.query('UPDATE accounts SET balance = balance + $2 WHERE id = $1', [accountId, amount]);
    await rederiveAccountStates(tx, [accountId], 'test');
  });
}

/** Tariff, funded/indebted/disabled/suspended/MAC-bound subscribers, and a SKAT NAS, straight into the database. */
async function seed(sql: Sql): Promise<void> {
  const store = createStore(sql);
  const tariff = await store.tariffs.create({ name: 'Home 100', monthlyFee: 50_000, downKbps: 100_000, upKbps: 50_000 });
  const make = async (username: string, balance: number, extra: object = {}): Promise<void> => {
    const account = await store.accounts.create({});
    if (balance !== 0) await setBalance(sql, account.id, balance);
    await store.subscribers.create({ username, password: `${username}-pw`, accountId: account.id, tariffId: tariff.id, ...extra });
  };
  await make('funded', 10_000, { framedIp: '100.64.1.10' });
  await make('debtor', -1);
  await make('disabled', 10_000, { status: 'disabled' });
  await make('suspended', 10_000, { status: 'suspended' });
  await make('bound', 10_000, { mac: 'aa:bb:cc:dd:ee:ff' });
  await make('single', 10_000, { simultaneousUse: 1 });
  await store.nas.create({ name: 'skat', address: '127.0.0.5', secret: SECRET, vendor: 'vasexperts' });
}

const input = () => testConfigInput({ admin: { listen: '127.0.0.1', port: 0, token: TOKEN }, authLog: { flushIntervalMs: 50 }, users: [] });

describe.skipIf(!haveRadclient)('subscribers from the database', () => {
  let d: TestDaemon;
  let auth: string;
  beforeAll(async () => {
    d = await startTestDaemon(input(), seed);
    auth = `127.0.0.1:${d.app.ports.auth}`;
  });
  afterAll(() => d.stop());

  it('funded: Access-Accept with the tariff speed and the static IP (MikroTik profile)', async () => {
    const r = await radtest('pap', 'funded', 'funded-pw', auth, SECRET);
    expect(r.code).toBe('Access-Accept');
    expect(r.attributes.get('Mikrotik-Rate-Limit')).toEqual(['50000k/100000k']);
    expect(r.attributes.get('Framed-IP-Address')).toEqual(['100.64.1.10']);
    expect(r.attributes.get('Mikrotik-Address-List')).toBeUndefined();
    expect((await radtest('chap', 'funded', 'funded-pw', auth, SECRET)).code).toBe('Access-Accept');
  });

  it('in debt or suspended: the redirect profile (an Access-Accept into the unpaid address list)', async () => {
    for (const user of ['debtor', 'suspended']) {
      const r = await radtest('pap', user, `${user}-pw`, auth, SECRET);
      expect(r.code).toBe('Access-Accept');
      expect(r.attributes.get('Mikrotik-Address-List')).toEqual(['unpaid']);
      expect(r.attributes.get('Mikrotik-Rate-Limit')).toBeUndefined();
    }
  });

  it('disabled, wrong password, unknown, wrong MAC: Access-Reject with the reason in the auth log', async () => {
    expect((await radtest('pap', 'disabled', 'disabled-pw', auth, SECRET)).code).toBe('Access-Reject');
    expect((await radtest('pap', 'funded', 'nope', auth, SECRET)).code).toBe('Access-Reject');
    expect((await radtest('pap', 'ghost', 'x', auth, SECRET)).code).toBe('Access-Reject');
    const wrongMac = await radclient(auth, 'auth', SECRET, 'User-Name = bound\nUser-Password = bound-pw\nCalling-Station-Id = "11-22-33-44-55-66"\nMessage-Authenticator = 0x00\n');
    expect(wrongMac.code).toBe('Access-Reject');
    const rightMac = await radclient(auth, 'auth', SECRET, 'User-Name = bound\nUser-Password = bound-pw\nCalling-Station-Id = "AA-BB-CC-DD-EE-FF"\nMessage-Authenticator = 0x00\n');
    expect(rightMac.code).toBe('Access-Accept');
    await new Promise((r) => setTimeout(r, 200));
    const log = (await d.api.call('GET', '/api/v1/auth-log?limit=100')).json as { items: { username: string; result: string; reason: string | null }[] };
    const reasons = new Map(log.items.map((e) => [`${e.username}:${e.result}`, e.reason]));
    expect(reasons.get('disabled:reject')).toBe('disabled');
    expect(reasons.get('funded:reject')).toBe('bad_password');
    expect(reasons.get('ghost:reject')).toBe('unknown_user');
    expect(reasons.get('bound:reject')).toBe('mac_mismatch');
    expect(reasons.get('debtor:redirect')).toBe('blocked');
    expect(reasons.get('suspended:redirect')).toBe('suspended');
    expect(reasons.get('funded:accept')).toBeNull();
    const filtered = (await d.api.call('GET', '/api/v1/auth-log?username=ghost')).json as { items: { username: string }[] };
    expect(filtered.items.every((e) => e.username === 'ghost')).toBe(true);
  });

  it('Simultaneous-Use: a second session is refused while the first is open, allowed after its Stop', async () => {
    expect((await radtest('pap', 'single', 'single-pw', auth, SECRET)).code).toBe('Access-Accept');
    const acct = (status: number, id: number) =>
      encodeRequest(
        Code.AccountingRequest,
        id,
        [
          { type: Attr.UserName, value: Buffer.from('single') },
          { type: Attr.AcctStatusType, value: Buffer.from([0, 0, 0, status]) },
          { type: Attr.AcctSessionId, value: Buffer.from('simul-1') },
        ],
        Buffer.from(SECRET),
        { messageAuthenticator: false },
      );
    // The session is counted once the rater has applied the acknowledged Start (milliseconds later).
    expect((await exchange(d.app.ports.acct, acct(1, 1)))?.[0]).toBe(Code.AccountingResponse);
    await d.app.drainAccounting();
    expect((await radtest('pap', 'single', 'single-pw', auth, SECRET)).code).toBe('Access-Reject');
    expect((await exchange(d.app.ports.acct, acct(2, 2)))?.[0]).toBe(Code.AccountingResponse);
    await d.app.drainAccounting();
    expect((await radtest('pap', 'single', 'single-pw', auth, SECRET)).code).toBe('Access-Accept');
    await new Promise((r) => setTimeout(r, 100));
    const log = (await d.api.call('GET', '/api/v1/auth-log?username=single')).json as { items: { reason: string | null }[] };
    expect(log.items.map((e) => e.reason)).toContain('simultaneous_use');
  });

  it('a NAS from the database with the VAS Experts profile gets the restricted Access-Reject', async () => {
    const authenticator = randomAuthenticator();
    const secret = Buffer.from(SECRET);
    const request = encodeRequest(
      Code.AccessRequest,
      5,
      [
        { type: Attr.UserName, value: Buffer.from('debtor') },
        { type: Attr.UserPassword, value: hidePassword(Buffer.from('debtor-pw'), secret, authenticator) },
        { type: Attr.FramedIPAddress, value: Buffer.from([100, 64, 9, 9]) },
      ],
      secret,
      { messageAuthenticator: true, authenticator },
    );
    const reply = await exchange(d.app.ports.auth, request, { from: '127.0.0.5' });
    if (!reply) throw new Error('no reply from the SKAT client address');
    const packet = parsePacket(reply);
    expect(packet.code).toBe(Code.AccessReject);
    const attrs = Object.fromEntries(decodeAttributes(d.app.dictionary, packet.attributes).map((a) => [a.name, a.value]));
    expect(attrs['VasExperts-Service-Profile']).toBe('5:allowlist');
    expect(attrs['VasExperts-UserName']).toBe('debtor');
    expect(attrs['Framed-IP-Address']).toBe('100.64.9.9');
  });

  it('API changes reach the next request: disable, re-enable, new subscriber, payment-free credit limit', async () => {
    const list = (await d.api.call('GET', '/api/v1/subscribers?username=funded')).json as { items: { id: number; accountId: number }[] };
    const funded = list.items[0];
    if (!funded) throw new Error('funded not found');
    expect((await d.api.call('PATCH', `/api/v1/subscribers/${funded.id}`, { status: 'disabled' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect((await radtest('pap', 'funded', 'funded-pw', auth, SECRET)).code).toBe('Access-Reject');
    await d.api.call('PATCH', `/api/v1/subscribers/${funded.id}`, { status: 'active' });
    await new Promise((r) => setTimeout(r, 100));
    expect((await radtest('pap', 'funded', 'funded-pw', auth, SECRET)).code).toBe('Access-Accept');

    // Unknown a moment ago (and remembered as unknown): created through the API, accepted at once.
    expect((await radtest('pap', 'newbie', 'newbie-pw', auth, SECRET)).code).toBe('Access-Reject');
    const account = (await d.api.call('POST', '/api/v1/accounts', {})).json as { id: number };
    const tariffs = (await d.api.call('GET', '/api/v1/tariffs')).json as { items: { id: number }[] };
    const created = await d.api.call('POST', '/api/v1/subscribers', { username: 'newbie', password: 'newbie-pw', accountId: account.id, tariffId: tariffs.items[0]?.id });
    expect(created.status).toBe(201);
    await new Promise((r) => setTimeout(r, 100));
    expect((await radtest('pap', 'newbie', 'newbie-pw', auth, SECRET)).code).toBe('Access-Accept');

    // The debtor's account gets a credit limit that covers the debt (and today's fee): redirect → normal service.
    const debtor = (await d.api.call('GET', '/api/v1/subscribers?username=debtor')).json as { items: { accountId: number }[] };
    const patched = await d.api.call('PATCH', `/api/v1/accounts/${debtor.items[0]?.accountId}`, { creditLimit: 100_000 });
    expect((patched.json as { state: string }).state).toBe('active');
    await new Promise((r) => setTimeout(r, 100));
    const r = await radtest('pap', 'debtor', 'debtor-pw', auth, SECRET);
    expect(r.attributes.get('Mikrotik-Rate-Limit')).toEqual(['50000k/100000k']);
  });
});

const shared = process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL;
describe.skipIf(!haveRadclient || !shared)('two instances sharing PostgreSQL and Redis', () => {
  it('a change through one instance’s API is seen by the other’s next request', async () => {
    const redis = { url: process.env.TEST_REDIS_URL };
    const first = await startTestDaemon({ ...input(), redis }, seed);
    const second = await startTestDaemon({ ...input(), redis }, undefined, first);
    try {
      const other = `127.0.0.1:${second.app.ports.auth}`;
      expect((await radtest('pap', 'funded', 'funded-pw', other, SECRET)).code).toBe('Access-Accept');
      const list = (await first.api.call('GET', '/api/v1/subscribers?username=funded')).json as { items: { id: number }[] };
      await first.api.call('PATCH', `/api/v1/subscribers/${list.items[0]?.id}`, { status: 'disabled' });
      await new Promise((r) => setTimeout(r, 200));
      expect((await radtest('pap', 'funded', 'funded-pw', other, SECRET)).code).toBe('Access-Reject');
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});
