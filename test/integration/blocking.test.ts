/**
 * The money loop end to end: accounting charges an account below zero → the account is blocked → its live
 * session gets the NAS's restrict CoA; a payment through the API brings it back → restore (MikroTik: a
 * Disconnect, so the subscriber re-authenticates into normal service). A UDP receiver plays the BRAS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAttributes } from '../../src/radius/decode.js';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeRequest } from '../../src/radius/crypto.js';
import type { RawAttribute, RawPacket } from '../../src/radius/packet.js';
import { rederiveAccountStates } from '../../src/store/account-state.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { FakeBras } from '../helpers/fake-bras.js';
import { SECRET, startTestDaemon, testConfigInput, type TestDaemon } from '../helpers/daemon.js';
import { exchange } from '../helpers/udp-client.js';

const TOKEN = 'blocking-test-admin-token';
const secret = Buffer.from(SECRET);


function accounting(status: number, sessionTime: number, id: number): Buffer {
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const attrs: RawAttribute[] = [
    { type: Attr.UserName, value: Buffer.from('spender') },
    { type: Attr.AcctStatusType, value: u32(status) },
    { type: Attr.AcctSessionId, value: Buffer.from('block-1') },
    { type: Attr.AcctSessionTime, value: u32(sessionTime) },
    { type: Attr.FramedIPAddress, value: Buffer.from([100, 64, 7, 7]) },
  ];
  return encodeRequest(Code.AccountingRequest, id, attrs, secret, { messageAuthenticator: false });
}

async function until(what: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('blocking and restoring live sessions', () => {
  const bras = new FakeBras();
  let d: TestDaemon;
  let accountId = 0;

  beforeAll(async () => {
    await bras.start();
    d = await startTestDaemon(
      testConfigInput({
        admin: { listen: '127.0.0.1', port: 0, token: TOKEN },
        users: [],
        clients: [{ name: 'bras', address: '127.0.0.1', secret: SECRET, vendor: 'mikrotik', coaPort: bras.port }],
        // The Interims claim 600 s of session time a moment after their Start: widen the clock tolerance so the
        // plausibility check (docs/accounting.md rule 7) takes them as they are.
        accounting: { maxClockSkewSeconds: 3600 },
      }),
      async (sql: Sql) => {
        const store = createStore(sql);
        const tariff = await store.tariffs.create({ name: 'per-second', pricePerMinute: 60, downKbps: 10_000, upKbps: 10_000 });
        const account = await store.accounts.create({});
        accountId = account.id;
        await sql.transaction(async (tx) => {
          await tx.query(`INSERT INTO payments (account_id, amount, external_id) VALUES ($1, 100, 'opening')`, [account.id]);
          await tx.query('UPDATE accounts SET balance = 100 WHERE id = $1', [account.id]);
          await rederiveAccountStates(tx, [account.id], 'test');
        });
        await store.subscribers.create({ username: 'spender', password: 'pw', accountId: account.id, tariffId: tariff.id });
      },
    );
  });
  afterAll(async () => {
    await d.stop();
    bras.close();
  });

  it('charges below zero block the account and send the restrict CoA to the session', async () => {
    const { acct } = d.app.ports;
    expect((await exchange(acct, accounting(1, 0, 1)))?.[0]).toBe(Code.AccountingResponse);
    // 600 s at 60 per minute = 600: the balance of 100 goes to −500.
    expect((await exchange(acct, accounting(3, 600, 2)))?.[0]).toBe(Code.AccountingResponse);
    await until(() => bras.requests.length >= 1);
    const coa = bras.requests[0] as RawPacket;
    expect(coa.code).toBe(Code.CoARequest);
    const attrs = Object.fromEntries(decodeAttributes(d.app.dictionary, coa.attributes).map((a) => [a.name, a.value]));
    expect(attrs).toMatchObject({ 'User-Name': 'spender', 'Acct-Session-Id': 'block-1', 'Framed-IP-Address': '100.64.7.7', 'Mikrotik-Address-List': 'unpaid' });
    const [account] = await d.sql.query<{ balance: number; state: string }>('SELECT balance, state FROM accounts WHERE id = $1', [accountId]);
    expect(account).toEqual({ balance: -500, state: 'blocked' });
    // The audit row is written once the ACK is back, which the BRAS sent just now.
    await expect
      .poll(() => d.sql.query<{ request: string; result: string }>('SELECT request, result FROM coa_audit ORDER BY id'), { timeout: 5000 })
      .toEqual([{ request: 'coa', result: 'ack' }]);
  });

  it('a retransmitted Interim charges nothing and sends no second CoA', async () => {
    expect((await exchange(d.app.ports.acct, accounting(3, 600, 3)))?.[0]).toBe(Code.AccountingResponse);
    await d.app.drainAccounting();
    await new Promise((r) => setTimeout(r, 300));
    expect(bras.requests).toHaveLength(1);
    const [account] = await d.sql.query<{ balance: number }>('SELECT balance FROM accounts WHERE id = $1', [accountId]);
    expect(account?.balance).toBe(-500);
  });

  it('a payment through the API restores the session (MikroTik: Disconnect so it re-authenticates)', async () => {
    const res = await d.api.call('POST', '/api/v1/payments', { accountId, amount: 1000, externalId: 'pay-1' });
    expect(res.status).toBe(201);
    await until(() => bras.requests.length >= 2);
    const restore = bras.requests[1] as RawPacket;
    expect(restore.code).toBe(Code.DisconnectRequest);
    const names = decodeAttributes(d.app.dictionary, restore.attributes).map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['User-Name', 'Acct-Session-Id']));
    const ledger = await d.app.store.ledger.verify();
    expect(ledger.mismatches).toEqual([]);
  });
});
