/**
 * FreeRADIUS's own client tools against the running daemon: what an ISP engineer will try first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAuthenticatorResponse, generateNtResponse, mppeMasterKeys, ntPasswordHash } from '../../src/auth/mschapv2.js';
import { haveRadclient, radclient, radtest } from '../helpers/radclient.js';
import { metricValue, SECRET, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';

describe.skipIf(!haveRadclient)('radclient and radtest against the daemon', () => {
  let d: TestDaemon;
  let auth: string;
  let acct: string;
  beforeAll(async () => {
    d = await startTestDaemon();
    auth = `127.0.0.1:${d.app.ports.auth}`;
    acct = `127.0.0.1:${d.app.ports.acct}`;
  });
  afterAll(() => d.stop());

  it('PAP: Access-Accept with the reply attributes, Message-Authenticator first', async () => {
    const r = await radtest('pap', 'alice', 'alice-password', auth, SECRET);
    expect(r.code).toBe('Access-Accept');
    expect(r.attributes.get('Mikrotik-Rate-Limit')).toEqual(['50M/50M']);
    expect(r.attributes.get('Session-Timeout')).toEqual(['3600']);
    expect([...r.attributes.keys()][0]).toBe('Message-Authenticator');
  });

  it('PAP with a wrong password or an unknown user: Access-Reject, reason logged', async () => {
    expect((await radtest('pap', 'alice', 'wrong', auth, SECRET)).code).toBe('Access-Reject');
    expect((await radtest('pap', 'nobody', 'x', auth, SECRET)).code).toBe('Access-Reject');
    const reasons = d.logs.filter((l) => l.msg === 'access rejected').map((l) => [l.user, l.reason]);
    expect(reasons).toEqual(expect.arrayContaining([['alice', 'bad_password'], ['nobody', 'unknown_user']]));
    expect(JSON.stringify(d.logs)).not.toContain('wrong');
  });

  it('PAP against a user stored only as an NT hash', async () => {
    expect((await radtest('pap', 'carol', 'password', auth, SECRET)).code).toBe('Access-Accept');
    expect((await radtest('pap', 'carol', 'Password', auth, SECRET)).code).toBe('Access-Reject');
  });

  it('CHAP: accepts the right password, rejects a wrong one, and needs a cleartext password', async () => {
    expect((await radtest('chap', 'alice', 'alice-password', auth, SECRET)).code).toBe('Access-Accept');
    expect((await radtest('chap', 'alice', 'alice-passwore', auth, SECRET)).code).toBe('Access-Reject');
    expect((await radtest('chap', 'carol', 'password', auth, SECRET)).code).toBe('Access-Reject');
    expect(d.logs.some((l) => l.user === 'carol' && l.reason === 'chap_needs_cleartext')).toBe(true);
  });

  it('MS-CHAPv2: Access-Accept with MS-CHAP2-Success and the MPPE keys radclient decrypts', async () => {
    const authChallenge = Buffer.from('5b5d7c7d7b3f2f3e3c2c602132262628', 'hex');
    const peerChallenge = Buffer.from('21402324255e262a28295f2b3a337c7e', 'hex');
    const hash = ntPasswordHash('alice-password');
    const ntResponse = generateNtResponse(authChallenge, peerChallenge, 'alice', hash);
    const response = Buffer.concat([Buffer.from([7, 0]), peerChallenge, Buffer.alloc(8), ntResponse]);
    const r = await radclient(
      auth,
      'auth',
      SECRET,
      `User-Name = alice\nMS-CHAP-Challenge = 0x${authChallenge.toString('hex')}\nMS-CHAP2-Response = 0x${response.toString('hex')}\nMessage-Authenticator = 0x00\n`,
      ['-x'],
    );
    expect(r.code).toBe('Access-Accept');
    const expected = generateAuthenticatorResponse(hash, ntResponse, peerChallenge, authChallenge, 'alice');
    expect(r.attributes.get('MS-CHAP2-Success')?.[0]).toBe(`0x07${Buffer.from(expected).toString('hex')}`);
    const keys = mppeMasterKeys(hash, ntResponse);
    expect(r.attributes.get('MS-MPPE-Send-Key')?.[0]).toBe(`0x${keys.sendKey.toString('hex')}`);
    expect(r.attributes.get('MS-MPPE-Recv-Key')?.[0]).toBe(`0x${keys.recvKey.toString('hex')}`);

    const bad = Buffer.from(response);
    bad[49] = (bad[49] as number) ^ 1;
    const rejected = await radclient(
      auth,
      'auth',
      SECRET,
      `User-Name = alice\nMS-CHAP-Challenge = 0x${authChallenge.toString('hex')}\nMS-CHAP2-Response = 0x${bad.toString('hex')}\nMessage-Authenticator = 0x00\n`,
      ['-x'],
    );
    expect(rejected.code).toBe('Access-Reject');
    expect(rejected.attributes.get('MS-CHAP-Error')?.[0]).toMatch(/^\\007E=691 R=0 C=[0-9a-f]{32} V=3/);
  });

  it('Status-Server on both ports (RFC 5997)', async () => {
    expect((await radclient(auth, 'status', SECRET, 'Message-Authenticator = 0x00\n')).code).toBe('Access-Accept');
    expect((await radclient(acct, 'status', SECRET, 'Message-Authenticator = 0x00\n')).code).toBe('Accounting-Response');
  });

  it('accounting Start/Interim/Stop are acknowledged once journaled, and rated into one session', async () => {
    for (const [status, octets] of [['Start', 0], ['Interim-Update', 1000], ['Stop', 5000]] as const) {
      const r = await radclient(
        acct,
        'acct',
        SECRET,
        `User-Name = alice\nAcct-Status-Type = ${status}\nAcct-Session-Id = "sess-1"\nAcct-Input-Octets = ${octets}\nAcct-Input-Gigawords = 1\nAcct-Session-Time = 60\nFramed-IP-Address = 100.64.0.9\n`,
      );
      expect(r.code).toBe('Accounting-Response');
    }
    await d.app.drainAccounting();
    const rows = await d.sql.query<{ username: string; nas_name: string; input_octets: number; stopped_at: Date | null; framed_ip: string }>(
      `SELECT username, nas_name, input_octets, stopped_at, host(framed_ip) AS framed_ip FROM sessions WHERE acct_session_id = 'sess-1'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ username: 'alice', nas_name: 'bras-v4', input_octets: 2 ** 32 + 5000, framed_ip: '100.64.0.9' });
    expect(rows[0]?.stopped_at).not.toBeNull();
  });

  it('answers over IPv6', async () => {
    const r = await radclient(`[::1]:${d.app.ports.auth}`, 'auth', SECRET, 'User-Name = alice\nUser-Password = alice-password\nMessage-Authenticator = 0x00\n', ['-6']);
    expect(r.code).toBe('Access-Accept');
    expect(metricValue(await d.metrics(), 'tollgate_radius_requests_total', { code: 'Access-Request', nas: 'bras-v6' })).toBe(1);
  });

  it('counts requests and responses by code and NAS', async () => {
    const text = await d.metrics();
    expect(metricValue(text, 'tollgate_radius_responses_total', { code: 'Access-Accept', nas: 'bras-v4' })).toBeGreaterThanOrEqual(4);
    expect(metricValue(text, 'tollgate_auth_results_total', { method: 'pap', result: 'bad_password' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'tollgate_radius_request_duration_seconds_count', { code: 'Access-Request' })).toBeGreaterThan(0);
  });
});
