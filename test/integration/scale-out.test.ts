/**
 * Two instances sharing one PostgreSQL and Redis behave as one system when a BRAS sends any packet to either:
 * Simultaneous-Use counts the session the other instance acknowledged, a charge through one instance blocks the
 * account and the live session gets exactly one restrict CoA (both instances hear the change), a payment through
 * the other instance's API restores it once, and the ledger verifies. PostgreSQL and Redis only
 * (TEST_DATABASE_URL and TEST_REDIS_URL), as in CI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator } from '../../src/radius/crypto.js';
import type { RawAttribute } from '../../src/radius/packet.js';
import { rederiveAccountStates } from '../../src/store/account-state.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { FakeBras } from '../helpers/fake-bras.js';
import { SECRET, startTestDaemon, testConfigInput, type TestDaemon } from '../helpers/daemon.js';
import { exchange } from '../helpers/udp-client.js';

const TOKEN = 'scale-out-test-admin-token';
const secret = Buffer.from(SECRET);
const shared = process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL;


const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

function pap(id: number): Buffer {
  const authenticator = randomAuthenticator();
  const attrs: RawAttribute[] = [
    { type: Attr.UserName, value: Buffer.from('roamer') },
    { type: Attr.UserPassword, value: hidePassword(Buffer.from('roamer-pw'), secret, authenticator) },
  ];
  return encodeRequest(Code.AccessRequest, id, attrs, secret, { messageAuthenticator: true, authenticator });
}

function accounting(status: number, sessionTime: number, id: number, delay = 0): Buffer {
  const attrs: RawAttribute[] = [
    { type: Attr.UserName, value: Buffer.from('roamer') },
    { type: Attr.AcctStatusType, value: u32(status) },
    { type: Attr.AcctSessionId, value: Buffer.from('roam-1') },
    { type: Attr.AcctSessionTime, value: u32(sessionTime) },
    { type: Attr.AcctDelayTime, value: u32(delay) },
    { type: Attr.FramedIPAddress, value: Buffer.from([100, 64, 9, 9]) },
  ];
  return encodeRequest(Code.AccountingRequest, id, attrs, secret, { messageAuthenticator: false });
}

async function settle(...daemons: TestDaemon[]): Promise<void> {
  await Promise.all(daemons.map((d) => d.app.drainAccounting()));
}

describe.skipIf(!shared)('two instances on one PostgreSQL and Redis', () => {
  const bras = new FakeBras();
  let a: TestDaemon;
  let b: TestDaemon;
  let accountId = 0;

  beforeAll(async () => {
    await bras.start();
    const input = (): Record<string, unknown> =>
      testConfigInput({
        admin: { listen: '127.0.0.1', port: 0, token: TOKEN },
        redis: { url: process.env.TEST_REDIS_URL },
        users: [],
        fees: { enabled: false },
        clients: [{ name: 'bras', address: '127.0.0.1', secret: SECRET, vendor: 'mikrotik', coaPort: bras.port }],
      });
    a = await startTestDaemon(input(), async (sql: Sql) => {
      const store = createStore(sql);
      const tariff = await store.tariffs.create({ name: 'per-minute', pricePerMinute: 60, downKbps: 10_000, upKbps: 10_000 });
      const account = await store.accounts.create({});
      accountId = account.id;
      await sql.transaction(async (tx) => {
        await tx.query(`INSERT INTO payments (account_id, amount, external_id) VALUES ($1, 100, 'scale-out-opening')`, [account.id]);
        await tx.query('UPDATE accounts SET balance = 100 WHERE id = $1', [account.id]);
        await rederiveAccountStates(tx, [account.id], 'test');
      });
      await store.subscribers.create({ username: 'roamer', password: 'roamer-pw', accountId: account.id, tariffId: tariff.id, simultaneousUse: 1 });
    });
    b = await startTestDaemon(input(), undefined, a);
  });

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    bras.close();
  });

  it('Simultaneous-Use counts a session the other instance acknowledged', async () => {
    expect((await exchange(b.app.ports.auth, pap(1)))?.[0]).toBe(Code.AccessAccept);
    // The session started 1000 s ago (Acct-Delay-Time), acknowledged by A: the later Interims claim up to 600 s
    // of it, which the plausibility check (docs/accounting.md rule 7) measures from the Start's time.
    expect((await exchange(a.app.ports.acct, accounting(1, 0, 2, 1000)))?.[0]).toBe(Code.AccountingResponse);
    await settle(a, b);
    expect((await exchange(b.app.ports.auth, pap(3)))?.[0]).toBe(Code.AccessReject);
    expect((await exchange(a.app.ports.auth, pap(4)))?.[0]).toBe(Code.AccessReject);
  });

  it('a charge through one instance blocks the account and the session gets one restrict CoA', async () => {
    // 60 s at 60 per minute = 60 leaves 40; the retransmission to A charges nothing more.
    expect((await exchange(b.app.ports.acct, accounting(3, 60, 5)))?.[0]).toBe(Code.AccountingResponse);
    expect((await exchange(a.app.ports.acct, accounting(3, 60, 6, 2)))?.[0]).toBe(Code.AccountingResponse);
    await settle(a, b);
    expect(bras.requests).toHaveLength(0);
    // 10 minutes in all = 600: the balance goes to −500, blocked.
    expect((await exchange(b.app.ports.acct, accounting(3, 600, 7)))?.[0]).toBe(Code.AccountingResponse);
    await settle(a, b);
    await expect.poll(() => bras.requests.length, { timeout: 5000 }).toBeGreaterThanOrEqual(1);
    // Both instances heard the change; the CoA state is claimed once.
    await new Promise((r) => setTimeout(r, 1500));
    expect(bras.requests.map((p) => p.code)).toEqual([Code.CoARequest]);
    const [account] = await a.sql.query<{ balance: number; state: string }>('SELECT balance, state FROM accounts WHERE id = $1', [accountId]);
    expect(account).toEqual({ balance: -500, state: 'blocked' });
  });

  it('a payment through the other instance restores the session once, and the ledger verifies', async () => {
    const res = await b.api.call('POST', '/api/v1/payments', { accountId, amount: 1000, externalId: 'scale-out-pay-1' });
    expect(res.status).toBe(201);
    await expect.poll(() => bras.requests.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 1500));
    // MikroTik restores with a Disconnect (the subscriber re-authenticates into normal service).
    expect(bras.requests.map((p) => p.code)).toEqual([Code.CoARequest, Code.DisconnectRequest]);
    expect((await a.app.store.ledger.verify()).mismatches).toEqual([]);
    const charged = await a.sql.query<{ total: number }>(`SELECT coalesce(sum(amount), 0)::bigint AS total FROM charges WHERE account_id = $1`, [accountId]);
    expect(Number(charged[0]?.total)).toBe(600);
  });
});
