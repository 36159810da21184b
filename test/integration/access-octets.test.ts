/**
 * The access path over real UDP with strings that are octets, not text (a NUL, invalid UTF-8), and the Class
 * attribute that tells the rater which service an Access-Accept gave (RFC 2865 §5.25: the NAS echoes it in
 * accounting). Subscribers come from the database; the auth log is read back from it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { generateNtResponse } from '../../src/auth/mschapv2.js';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator } from '../../src/radius/crypto.js';
import { parsePacket, type RawAttribute, type RawPacket } from '../../src/radius/packet.js';
import { findVendorAttribute, MsAttr, Vendor, vendorAttribute } from '../../src/radius/vsa.js';
import { rederiveAccountStates } from '../../src/store/account-state.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { metricValue, SECRET, startTestDaemon, testConfigInput, type TestDaemon } from '../helpers/daemon.js';
import { exchange } from '../helpers/udp-client.js';

const secret = Buffer.from(SECRET);
/** `isp-own` as the octets template the generic profile is configured with (Class is an octets attribute). */
const OWN_CLASS_HEX = `0x${Buffer.from('isp-own').toString('hex')}`;
/** NT hash of "password". */
const NT_HASH = '8846F7EAEE8FB117AD06BDD830B7586C';

async function seed(sql: Sql): Promise<void> {
  const store = createStore(sql);
  const tariff = await store.tariffs.create({ name: 'Home 100', monthlyFee: 50_000, downKbps: 100_000, upKbps: 50_000 });
  const make = async (username: string, balance: number): Promise<void> => {
    const account = await store.accounts.create({});
    if (balance !== 0) {
      await sql.transaction(async (tx) => {
        await tx.query(`INSERT INTO adjustments (account_id, amount, reason) VALUES ($1, $2, 'test')`, [account.id, balance]);
        await tx.query('UPDATE accounts SET balance = balance + $2 WHERE id = $1', [account.id, balance]);
        await rederiveAccountStates(tx, [account.id], 'test');
      });
    }
    await store.subscribers.create({ username, password: `${username}-pw`, accountId: account.id, tariffId: tariff.id });
  };
  await make('funded', 10_000);
  await make('debtor', -1);
  await store.nas.create({ name: 'skat', address: '127.0.0.5', secret: SECRET, vendor: 'vasexperts' });
}

function accessRequest(userName: Buffer, password: string, extra: RawAttribute[] = []): Buffer {
  const authenticator = randomAuthenticator();
  const attrs: RawAttribute[] = [
    { type: Attr.UserName, value: userName },
    { type: Attr.UserPassword, value: hidePassword(Buffer.from(password), secret, authenticator) },
    ...extra,
  ];
  return encodeRequest(Code.AccessRequest, 1, attrs, secret, { messageAuthenticator: true, authenticator });
}

async function ask(d: TestDaemon, userName: Buffer | string, password: string, options: { from?: string; extra?: RawAttribute[] } = {}): Promise<RawPacket> {
  const name = typeof userName === 'string' ? Buffer.from(userName) : userName;
  const reply = await exchange(d.app.ports.auth, accessRequest(name, password, options.extra), { from: options.from ?? '127.0.0.1' });
  if (!reply) throw new Error(`no reply for User-Name ${name.toString('hex')}`);
  return parsePacket(reply);
}

/** An MS-CHAPv2 Access-Request as a Windows peer sends it: the response hashes the name without its domain. */
function msChapV2Request(userName: Buffer, hashedName: string): Buffer {
  const challenge = randomBytes(16);
  const peerChallenge = randomBytes(16);
  const ntResponse = generateNtResponse(challenge, peerChallenge, hashedName, Buffer.from(NT_HASH, 'hex'));
  const response = Buffer.concat([Buffer.from([1, 0]), peerChallenge, Buffer.alloc(8), ntResponse]);
  const attrs: RawAttribute[] = [
    { type: Attr.UserName, value: userName },
    vendorAttribute(Vendor.Microsoft, MsAttr.CHAPChallenge, challenge),
    vendorAttribute(Vendor.Microsoft, MsAttr.CHAP2Response, response),
  ];
  return encodeRequest(Code.AccessRequest, 2, attrs, secret, { messageAuthenticator: true });
}

function classes(packet: RawPacket): string[] {
  return packet.attributes.filter((a) => a.type === Attr.Class).map((a) => a.value.toString('latin1'));
}

interface LoggedDecision {
  username: string;
  result: string;
  reason: string | null;
  calling_station_id: string | null;
}

/** The auth-log rows of `username`, waiting for the writer's next flush. */
async function logged(d: TestDaemon, username: string): Promise<LoggedDecision[]> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const rows = await d.sql.query<LoggedDecision>('SELECT username, result, reason, calling_station_id FROM auth_log WHERE username = $1 ORDER BY id', [username]);
    if (rows.length > 0 || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the access path with octet strings and the Class attribute', () => {
  let d: TestDaemon;
  beforeAll(async () => {
    const input = testConfigInput({
      authLog: { flushIntervalMs: 50 },
      // The generic profile (the legacy clients) emits a Class of its own: ours must come in addition.
      vendors: { generic: { accept: { Class: OWN_CLASS_HEX } } },
    });
    // Configured in its text form: the octets `CORP\x41dmin` hold what reads as an escape (`\x41`), so the
    // name is escaped (`CORP\\x41dmin`).
    input.users = [...(input.users as object[]), { username: 'CORP\\\\x41dmin', ntHash: NT_HASH, reply: {} }];
    d = await startTestDaemon(input, seed);
  });
  afterAll(() => d.stop());

  describe('NUL in User-Name gets no reply', () => {
    it('a User-Name holding a NUL gets an Access-Reject as an unknown user, and the auth log records it', async () => {
      const errorsBefore = metricValue(await d.metrics(), 'tollgate_radius_dropped_total', { reason: 'handler_error' });
      const reply = await ask(d, Buffer.from('bad\u0000name'), 'whatever');
      expect(reply.code).toBe(Code.AccessReject);
      expect(classes(reply)).toEqual([]);
      expect(await logged(d, 'bad\\x00name')).toEqual([{ username: 'bad\\x00name', result: 'reject', reason: 'unknown_user', calling_station_id: null }]);
      expect(metricValue(await d.metrics(), 'tollgate_radius_dropped_total', { reason: 'handler_error' })).toBe(errorsBefore);
    });

    it('a User-Name with invalid UTF-8 (0xff) gets an Access-Reject, logged in its exact text form', async () => {
      const reply = await ask(d, Buffer.from([0x69, 0x6e, 0x76, 0xff, 0x41]), 'whatever');
      expect(reply.code).toBe(Code.AccessReject);
      expect(await logged(d, 'inv\\xffA')).toEqual([{ username: 'inv\\xffA', result: 'reject', reason: 'unknown_user', calling_station_id: null }]);
    });

    it('a NUL in Calling-Station-Id is logged in its text form and the log keeps being written', async () => {
      const calling = { type: Attr.CallingStationId, value: Buffer.from('aa-bb\u0000cc') };
      expect((await ask(d, 'funded', 'funded-pw', { extra: [calling] })).code).toBe(Code.AccessAccept);
      expect((await ask(d, 'ghost', 'x')).code).toBe(Code.AccessReject);
      expect((await logged(d, 'funded')).map((r) => r.calling_station_id)).toContain('aa-bb\\x00cc');
      expect(await logged(d, 'ghost')).toHaveLength(1);
    });
  });

  it('MS-CHAPv2 hashes the name the peer sent, not its escaped text form', async () => {
    const reply = await exchange(d.app.ports.auth, msChapV2Request(Buffer.from('CORP\\x41dmin'), 'x41dmin'));
    if (!reply) throw new Error('no reply');
    const packet = parsePacket(reply);
    expect(packet.code).toBe(Code.AccessAccept);
    expect(findVendorAttribute(packet, Vendor.Microsoft, MsAttr.CHAP2Success)).toBeDefined();
  });

  describe('Restricted from the first record (access half)', () => {
    it('an Access-Accept for a funded subscriber carries Class "tollgate:normal"', async () => {
      const reply = await ask(d, 'funded', 'funded-pw');
      expect(reply.code).toBe(Code.AccessAccept);
      expect(classes(reply)).toEqual(['tollgate:normal']);
    });

    it('the redirect Access-Accept for a subscriber in debt carries Class "tollgate:restricted"', async () => {
      const reply = await ask(d, 'debtor', 'debtor-pw');
      expect(reply.code).toBe(Code.AccessAccept);
      expect(classes(reply)).toEqual(['tollgate:restricted']);
    });

    it('the restricted Access-Reject of VAS Experts SKAT carries Class "tollgate:restricted"', async () => {
      const reply = await ask(d, 'debtor', 'debtor-pw', { from: '127.0.0.5' });
      expect(reply.code).toBe(Code.AccessReject);
      expect(classes(reply)).toEqual(['tollgate:restricted']);
    });

    it('a static user from the configuration gets normal service and says so', async () => {
      const reply = await ask(d, 'alice', 'alice-password');
      expect(reply.code).toBe(Code.AccessAccept);
      expect(classes(reply)).toEqual(['tollgate:normal']);
    });

    it('a profile that emits its own Class keeps it, and ours comes as another Class', async () => {
      const reply = await ask(d, 'funded', 'funded-pw', { from: '127.0.0.4' });
      expect(reply.code).toBe(Code.AccessAccept);
      expect(classes(reply)).toEqual(['isp-own', 'tollgate:normal']);
    });

    it('a plain reject carries no Class', async () => {
      const reply = await ask(d, 'funded', 'wrong-password');
      expect(reply.code).toBe(Code.AccessReject);
      expect(classes(reply)).toEqual([]);
    });
  });
});
