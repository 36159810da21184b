/**
 * Reload, drain and the multi-process mode: what an operator does to a running daemon.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresSql } from '../../src/store/postgres.js';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator } from '../../src/radius/crypto.js';
import type { RawAttribute } from '../../src/radius/packet.js';
import { metricValue, SECRET, startTestDaemon, testConfigInput } from '../helpers/daemon.js';
import { exchange } from '../helpers/udp-client.js';

const secret = Buffer.from(SECRET);
const root = join(import.meta.dirname, '../..');

function pap(user: string, password: string, id = 1): Buffer {
  const authenticator = randomAuthenticator();
  const attrs: RawAttribute[] = [
    { type: Attr.UserName, value: Buffer.from(user) },
    { type: Attr.UserPassword, value: hidePassword(Buffer.from(password), secret, authenticator) },
  ];
  return encodeRequest(Code.AccessRequest, id, attrs, secret, { messageAuthenticator: true, authenticator });
}

function accountingStart(id: number): Buffer {
  const attrs: RawAttribute[] = [
    { type: Attr.UserName, value: Buffer.from('alice') },
    { type: Attr.AcctStatusType, value: Buffer.from([0, 0, 0, 1]) },
    { type: Attr.AcctSessionId, value: Buffer.from(`drain-${id}`) },
  ];
  return encodeRequest(Code.AccountingRequest, id, attrs, secret, { messageAuthenticator: false });
}

describe('reload', () => {
  it('swaps users and clients; an invalid configuration is refused and the running one stays', async () => {
    const input = testConfigInput();
    const d = await startTestDaemon(input);
    try {
      const { auth } = d.app.ports;
      expect((await exchange(auth, pap('dave', 'dave-pw')))?.[0]).toBe(Code.AccessReject);

      const users = [...(input.users as object[]), { username: 'dave', password: 'dave-pw' }];
      (d as unknown as { setInput(i: object): void }).setInput({ ...input, users });
      d.app.reload();
      expect((await exchange(auth, pap('dave', 'dave-pw')))?.[0]).toBe(Code.AccessAccept);

      (d as unknown as { setInput(i: object): void }).setInput({ ...input, users: [{ username: 'x' }] });
      expect(() => d.app.reload()).toThrow(/needs password or ntHash/);
      expect((await exchange(auth, pap('dave', 'dave-pw')))?.[0]).toBe(Code.AccessAccept);
      expect(metricValue(await d.metrics(), 'tollgate_config_reloads_total', { result: 'error' })).toBe(1);

      // Removing the client: its packets are now from an unknown source.
      const clients = (input.clients as { address: string }[]).filter((c) => c.address !== '127.0.0.1');
      (d as unknown as { setInput(i: object): void }).setInput({ ...input, users, clients });
      d.app.reload();
      expect(await exchange(auth, pap('dave', 'dave-pw'), { timeoutMs: 300 })).toBeNull();
    } finally {
      await d.stop();
    }
  });
});

describe('drain', () => {
  it('every accounting request it started processing gets its reply before the sockets close', async () => {
    const d = await startTestDaemon();
    const { acct } = d.app.ports;
    const socket = dgram.createSocket('udp4');
    const replies: Buffer[] = [];
    await new Promise<void>((r) => socket.bind({ address: '127.0.0.1', port: 0 }, () => r()));
    socket.on('message', (m) => replies.push(m));
    for (let i = 0; i < 50; i++) socket.send(accountingStart(i), acct, '127.0.0.1');
    // Let some requests in, then stop while their commits are in flight; stop() resolves once the replies of
    // everything it started are sent.
    await new Promise((r) => setTimeout(r, 5));
    const text = await d.metrics();
    await d.stop();
    await new Promise((r) => setTimeout(r, 100));
    socket.close();
    const processed = metricValue(text, 'tollgate_radius_requests_total', { code: 'Accounting-Request', nas: 'bras-v4' });
    expect(processed).toBeGreaterThan(0);
    // Requests counted after the scrape were also answered: at least as many replies as requests seen then.
    expect(replies.length).toBeGreaterThanOrEqual(processed);
    for (const r of replies) expect(r[0]).toBe(Code.AccountingResponse);
  });
});


// Several workers need PostgreSQL (the embedded database lives in one process): this runs where
// TEST_DATABASE_URL is set, as in CI, in a schema of its own.
const databaseUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!databaseUrl)('several worker processes sharing the sockets (PostgreSQL)', () => {
  let child: ChildProcess;
  const schema = `tg_cluster_${randomBytes(5).toString('hex')}`;
  const url = `${databaseUrl ?? ''}${(databaseUrl ?? '').includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  let ports: { auth: number; acct: number; admin: number };
  let configPath: string;
  const lines: Record<string, unknown>[] = [];

  function writeConfig(users: object[]): void {
    writeFileSync(
      configPath,
      JSON.stringify({
        dataDir: join(configPath, '..', 'data'),
        log: { level: 'info' },
        database: { url, poolSize: 2 },
        radius: { listen: ['127.0.0.1'], authPort: 0, acctPort: 0, workers: 2 },
        admin: { listen: '127.0.0.1', port: 0 },
        portal: { listen: '127.0.0.1', port: 0 },
        clients: [{ name: 'bras', address: '127.0.0.1', secret: SECRET }],
        users,
      }),
    );
  }

  beforeAll(async () => {
    const admin = createPostgresSql(databaseUrl ?? '', { max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.close();
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' });
    configPath = join(mkdtempSync(join(tmpdir(), 'tollgate-cluster-')), 'tollgate.json');
    writeConfig([{ username: 'alice', password: 'alice-password' }]);
    child = spawn(process.execPath, [join(root, 'dist/src/cli.js'), 'serve', '--config', configPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    ports = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('daemon did not start')), 20_000);
      let buffered = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const parts = buffered.split('\n');
        buffered = parts.pop() ?? '';
        for (const part of parts) {
          const line = JSON.parse(part) as Record<string, unknown>;
          lines.push(line);
          if (line.msg === 'tollgate started') {
            clearTimeout(timer);
            resolve(line.ports as typeof ports);
          }
        }
      });
    });
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    const admin = createPostgresSql(databaseUrl ?? '', { max: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  });

  it('both workers answer on the one port, and the primary aggregates their metrics', async () => {
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => exchange(ports.auth, pap('alice', 'alice-password', i))));
    expect(replies.every((r) => r?.[0] === Code.AccessAccept)).toBe(true);
    const text = await (await fetch(`http://127.0.0.1:${ports.admin}/metrics`)).text();
    expect(metricValue(text, 'tollgate_radius_responses_total', { code: 'Access-Accept', nas: 'bras' })).toBe(40);
    expect(metricValue(text, 'tollgate_ready')).toBe(1);
    expect((await fetch(`http://127.0.0.1:${ports.admin}/readyz`)).status).toBe(200);
  });

  it('accounting acknowledged by the workers is rated by the primary', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => exchange(ports.acct, accountingStart(i))));
    expect(replies.every((r) => r?.[0] === Code.AccountingResponse)).toBe(true);
    const db = createPostgresSql(url, { max: 1 });
    try {
      let open = 0;
      for (let i = 0; i < 100 && open < 20; i++) {
        const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM sessions WHERE acct_session_id LIKE 'drain-%' AND stopped_at IS NULL`);
        open = rows[0]?.n ?? 0;
        if (open < 20) await new Promise((r) => setTimeout(r, 50));
      }
      expect(open).toBe(20);
      const journal = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounting_journal');
      expect(journal[0]?.n).toBe(0);
    } finally {
      await db.close();
    }
    const text = await (await fetch(`http://127.0.0.1:${ports.admin}/metrics`)).text();
    expect(metricValue(text, 'tollgate_accounting_records_total', { stage: 'journaled' })).toBe(20);
    expect(metricValue(text, 'tollgate_accounting_records_total', { stage: 'rated' })).toBe(20);
  });

  it('SIGHUP reloads users in every worker', async () => {
    writeConfig([{ username: 'alice', password: 'alice-password' }, { username: 'erin', password: 'erin-password' }]);
    child.kill('SIGHUP');
    await new Promise((r) => setTimeout(r, 500));
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => exchange(ports.auth, pap('erin', 'erin-password', i))));
    expect(replies.every((r) => r?.[0] === Code.AccessAccept)).toBe(true);
    expect(lines.filter((l) => l.msg === 'clients and users reloaded').length).toBe(2);
  });

  it('SIGHUP with an invalid file is refused; SIGTERM drains and exits 0', async () => {
    writeFileSync(configPath, '{ "radius": { "authPort": "x" } }');
    child.kill('SIGHUP');
    await new Promise((r) => setTimeout(r, 300));
    expect(lines.some((l) => l.msg === 'reload refused: configuration invalid; workers keep the running one')).toBe(true);
    expect((await exchange(ports.auth, pap('erin', 'erin-password')))?.[0]).toBe(Code.AccessAccept);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
