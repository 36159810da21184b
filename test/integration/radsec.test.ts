/**
 * RadSec through the whole daemon: a NAS with a certificate of the configured CA sends a PAP Access-Request and an
 * accounting Start/Stop over one TLS connection (secret `radsec`, RFC 6614 §2.3); the session is journaled and
 * charged exactly like one that came over UDP; a reload (SIGHUP) keeps the connection; stop closes it. With
 * Debian's radsecproxy installed, radclient → radsecproxy (UDP) → Tollgate (TLS) as well.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator, verifyResponseAuthenticator } from '../../src/radius/crypto.js';
import { parsePacket } from '../../src/radius/packet.js';
import { rederiveAccountStates } from '../../src/store/account-state.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { metricValue, SECRET, startTestDaemon, testConfigInput, type TestDaemon } from '../helpers/daemon.js';
import { haveRadclient, radclient } from '../helpers/radclient.js';
import { makePki, tcpConnect, tlsConnect, type Pki, type StreamClient } from '../helpers/radsec.js';
import { accountingRequest } from '../helpers/udp-client.js';

const RADSEC = Buffer.from('radsec');

/** An Accounting-Request under the RadSec secret; `delay` (Acct-Delay-Time) dates the event back, so a 10-minute session fits the clock. */
const accounting = (user: string, session: string, status: number, seconds: number, id: number, delay = 0): Buffer =>
  accountingRequest(RADSEC, user, session, status, seconds, id, delay);

function pap(user: string, password: string, id: number): Buffer {
  const authenticator = randomAuthenticator();
  return encodeRequest(
    Code.AccessRequest,
    id,
    [
      { type: Attr.UserName, value: Buffer.from(user) },
      { type: Attr.UserPassword, value: hidePassword(Buffer.from(password), RADSEC, authenticator) },
    ],
    RADSEC,
    { messageAuthenticator: true, authenticator },
  );
}

async function seed(sql: Sql): Promise<void> {
  const store = createStore(sql);
  const tariff = await store.tariffs.create({ name: 'per-minute', pricePerMinute: 10 });
  for (const username of ['tls-user', 'proxied']) {
    const account = await store.accounts.create({});
    await sql.transaction(async (tx) => {
      await tx.query(`INSERT INTO payments (account_id, amount, external_id) VALUES ($1, 100000, $2)`, [account.id, `open-${username}`]);
      await tx.query('UPDATE accounts SET balance = 100000 WHERE id = $1', [account.id]);
      await rederiveAccountStates(tx, [account.id], 'test');
    });
    await store.subscribers.create({ username, password: `${username}-pw`, accountId: account.id, tariffId: tariff.id });
  }
}

async function charged(sql: Sql, user: string): Promise<number> {
  const [row] = await sql.query<{ total: number }>(
    `SELECT coalesce(sum(c.amount), 0)::bigint AS total FROM charges c JOIN subscribers s ON s.account_id = c.account_id WHERE s.username = $1 AND c.kind = 'time'`,
    [user],
  );
  return Number(row?.total ?? 0);
}

describe('RadSec through the daemon', () => {
  let pki: Pki;
  let d: TestDaemon;
  let nas: StreamClient;
  beforeAll(async () => {
    pki = makePki();
    const input = testConfigInput({
      users: [],
      fees: { enabled: false },
      radius: {
        listen: ['127.0.0.1'],
        authPort: 0,
        acctPort: 0,
        replyCacheSeconds: 5,
        radsec: { port: 0, certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.ca },
        tcp: { port: 0 },
      },
    });
    d = await startTestDaemon(input, seed);
    nas = await tlsConnect(d.app.ports.radsec, pki, pki.good);
  });
  let stopped = false;
  afterAll(async () => {
    nas?.close();
    if (!stopped) await d?.stop();
  });

  it('PAP: Access-Accept over TLS, signed with the RadSec secret, counted for the client entry', async () => {
    const request = pap('tls-user', 'tls-user-pw', 1);
    nas.write(request);
    const reply = parsePacket(await nas.next());
    expect(reply.code).toBe(Code.AccessAccept);
    expect(verifyResponseAuthenticator(reply, request.subarray(4, 20), RADSEC)).toBe(true);
    nas.write(pap('tls-user', 'wrong', 2));
    expect(parsePacket(await nas.next()).code).toBe(Code.AccessReject);
    const text = await d.metrics();
    expect(metricValue(text, 'tollgate_radius_requests_total', { code: 'Access-Request', nas: 'bras-v4' })).toBeGreaterThanOrEqual(2);
    expect(metricValue(text, 'tollgate_radius_stream_connections_total', { transport: 'radsec', result: 'accepted' })).toBe(1);
  });

  it('accounting Start/Stop on the same connection: acknowledged once journaled, charged as over UDP', async () => {
    nas.write(Buffer.concat([accounting('tls-user', 'tls-1', 1, 0, 3, 1000), accounting('tls-user', 'tls-1', 2, 600, 4)]));
    const replies = [parsePacket(await nas.next()), parsePacket(await nas.next())];
    expect(replies.map((r) => r.code)).toEqual([Code.AccountingResponse, Code.AccountingResponse]);
    await d.app.drainAccounting();
    expect(await charged(d.sql, 'tls-user')).toBe(100); // 10 minutes at 10 per minute
    const rows = await d.sql.query<{ nas_name: string; stopped_at: Date | null }>(`SELECT nas_name, stopped_at FROM sessions WHERE acct_session_id = 'tls-1'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.nas_name).toBe('bras-v4');
    expect(rows[0]?.stopped_at).not.toBeNull();
  });

  it('a reload (SIGHUP) takes a renewed certificate for new connections and keeps the open one answering', async () => {
    copyFileSync(pki.serverCert2, pki.serverCert);
    copyFileSync(pki.serverKey2, pki.serverKey);
    d.app.reload();
    const renewed = await tlsConnect(d.app.ports.radsec, pki, pki.good, { servername: 'tollgate-renewed.test' });
    expect((renewed.socket as TLSSocket).getPeerCertificate().subject.CN).toBe('tollgate-renewed.test');
    renewed.close();
    nas.write(encodeRequest(Code.StatusServer, 5, [], RADSEC, { messageAuthenticator: true }));
    expect(parsePacket(await nas.next()).code).toBe(Code.AccessAccept);
    expect(metricValue(await d.metrics(), 'tollgate_config_reloads_total', { result: 'ok' })).toBeGreaterThanOrEqual(1);
  });

  it('RADIUS/TCP, when configured, takes the entry\'s UDP secret on the same handlers', async () => {
    expect(d.app.ports.tcp).toBeGreaterThan(0);
    const c = await tcpConnect(d.app.ports.tcp);
    const secret = Buffer.from(SECRET);
    const authenticator = randomAuthenticator();
    c.write(
      encodeRequest(
        Code.AccessRequest,
        1,
        [
          { type: Attr.UserName, value: Buffer.from('tls-user') },
          { type: Attr.UserPassword, value: hidePassword(Buffer.from('tls-user-pw'), secret, authenticator) },
        ],
        secret,
        { messageAuthenticator: true, authenticator },
      ),
    );
    expect(parsePacket(await c.next()).code).toBe(Code.AccessAccept);
    c.close();
  });

  it('stop closes the RadSec connection and the listener', async () => {
    stopped = true;
    await d.stop();
    expect(await nas.closesWithin(2000)).toBe(true);
    await expect(tlsConnect(d.app.ports.radsec, pki, pki.good)).rejects.toThrow();
  });
});

const RADSECPROXY = '/usr/sbin/radsecproxy';
function haveRadsecproxy(): boolean {
  try {
    execFileSync(RADSECPROXY, ['-v'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!haveRadsecproxy() || !haveRadclient)('radclient → radsecproxy → Tollgate over RadSec', () => {
  let pki: Pki;
  let d: TestDaemon;
  let proxy: ChildProcess;
  let udpPort: number;
  const proxySecret = 'proxy-udp-secret-0123';
  beforeAll(async () => {
    pki = makePki();
    const input = testConfigInput({
      users: [],
      fees: { enabled: false },
      radius: {
        listen: ['127.0.0.1'],
        authPort: 0,
        acctPort: 0,
        radsec: { port: 0, certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.ca },
      },
    });
    d = await startTestDaemon(input, seed);
    udpPort = 20000 + Math.floor(Math.random() * 20000);
    const conf = join(pki.dir, 'radsecproxy.conf');
    writeFileSync(
      conf,
      `ListenUDP 127.0.0.1:${udpPort}
LogLevel 3
LogDestination file:///${join(pki.dir, 'radsecproxy.log')}
tls default {
    CACertificateFile ${pki.ca}
    CertificateFile ${pki.good.cert}
    CertificateKeyFile ${pki.good.key}
}
client localhost {
    host 127.0.0.1
    type udp
    secret ${proxySecret}
}
server tollgate {
    host 127.0.0.1
    port ${d.app.ports.radsec}
    type tls
    secret radsec
    CertificateNameCheck off
    StatusServer off
}
realm * {
    server tollgate
    accountingServer tollgate
}
`,
    );
    proxy = spawn(RADSECPROXY, ['-f', '-c', conf], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 1000));
  });
  afterAll(async () => {
    proxy?.kill();
    await d?.stop();
  });

  it('PAP and accounting Start/Stop through the proxy, charged', async () => {
    const server = `127.0.0.1:${udpPort}`;
    const r = await radclient(server, 'auth', proxySecret, 'User-Name = proxied\nUser-Password = proxied-pw\nMessage-Authenticator = 0x00\n');
    expect(r.code).toBe('Access-Accept');
    for (const [status, seconds] of [['Start', 0], ['Stop', 300]] as const) {
      const a = await radclient(server, 'acct', proxySecret, `User-Name = proxied\nAcct-Status-Type = ${status}\nAcct-Session-Id = "px-1"\nAcct-Session-Time = ${seconds}\nAcct-Delay-Time = ${status === 'Start' ? 1000 : 0}\n`);
      expect(a.code).toBe('Accounting-Response');
    }
    await d.app.drainAccounting();
    expect(await charged(d.sql, 'proxied')).toBe(50);
  });
});
