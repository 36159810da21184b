/**
 * Reload, drain and the multi-process mode: what an operator does to a running daemon.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresSql } from '../../src/store/postgres.js';
import { createStore } from '../../src/store/store.js';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator } from '../../src/radius/crypto.js';
import type { RawAttribute } from '../../src/radius/packet.js';
import { PORTAL_PATHS } from '../../src/portal/paths.js';
import { metricValue, SECRET, startTestDaemon, testConfigInput } from '../helpers/daemon.js';
import { exchange } from '../helpers/udp-client.js';
import { spawnServe } from '../helpers/serve-process.js';
import { buildOnce } from '../helpers/build.js';

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


/** A raw TCP client that sends `text` (usually half a request) and stays; `closed` resolves when the server closes it. */
async function halfOpen(port: number, text: string): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((r, reject) => {
    socket.once('connect', () => r());
    socket.once('error', reject);
  });
  socket.on('error', () => undefined);
  // Read (and drop) what comes back: a paused socket would never see the server's FIN.
  socket.resume();
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  socket.write(text);
  return { socket, closed };
}

describe('subscriber cache metrics', () => {
  it('are read from the directory at scrape time (no poll)', async () => {
    const d = await startTestDaemon(testConfigInput({ users: [] }), async (sql) => {
      const store = createStore(sql);
      const account = await store.accounts.create({ creditLimit: 1_000_000 });
      await store.subscribers.create({ username: 'dora', password: 'dora-password', accountId: account.id });
    });
    try {
      expect(metricValue(await d.metrics(), 'tollgate_subscribers_cached')).toBe(1);
      // Whatever the answer (dora has no tariff), each request looks its user up once.
      expect(await exchange(d.app.ports.auth, pap('dora', 'dora-password'))).not.toBeNull();
      expect((await exchange(d.app.ports.auth, pap('nobody-here', 'x', 2)))?.[0]).toBe(Code.AccessReject);
      // Straight after the replies, not a second later.
      const text = await d.metrics();
      expect(metricValue(text, 'tollgate_subscriber_lookups', { tier: 'memory' })).toBe(1);
      expect(metricValue(text, 'tollgate_subscriber_lookups', { tier: 'database' })).toBe(1);
    } finally {
      await d.stop();
    }
  });
});

describe('stop does not hang on an HTTP client', () => {
  const token = 'lifecycle-admin-token-0123';
  it('half-open, idle and stalled admin and portal connections: stop completes within the drain bound', async () => {
    const drainTimeoutMs = 1000;
    const d = await startTestDaemon(testConfigInput({ shutdown: { drainTimeoutMs }, admin: { listen: '127.0.0.1', port: 0, token } }));
    const { admin, portal } = d.app.ports;
    const clients = [
      // Headers never finished (what kept the daemon alive 45 s and 150 s after SIGTERM).
      await halfOpen(admin, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Half'),
      await halfOpen(portal, `GET ${PORTAL_PATHS.page} HTTP/1.1\r\nHost: x\r\nX-Half`),
      // An idle keep-alive connection after a complete request.
      await halfOpen(admin, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'),
      await halfOpen(portal, `GET ${PORTAL_PATHS.page} HTTP/1.1\r\nHost: x\r\n\r\n`),
      // A body that stops halfway: the request is being handled, it is cut at the deadline.
      await halfOpen(admin, `POST /api/v1/nas HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"name":`),
      await halfOpen(portal, `POST ${PORTAL_PATHS.promised} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\nsession=1&csrf=`),
    ];
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    await d.stop();
    const took = Date.now() - started;
    await Promise.all(clients.map((c) => c.closed));
    // Each stalled body waits its listener's drain (1 s); everything else closes at once.
    expect(took).toBeLessThan(2 * drainTimeoutMs + 3000);
    const cut = d.logs.filter((l) => l.msg === 'HTTP requests still in progress at the drain deadline were cut off');
    expect(cut.map((l) => [l.listener, l.idle, l.destroyed])).toEqual([
      ['portal', 2, 1],
      ['admin', 2, 1],
    ]);
    console.info(`stop with half-open admin and portal clients: ${took} ms (drainTimeoutMs ${drainTimeoutMs})`);
  });
});

describe('the daemon entry point (node dist/src/main.js)', () => {
  const main = join(root, 'dist/src/main.js');
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts/ensure-built.mjs')], { cwd: root, stdio: 'ignore' });
  }, 180_000);

  function run(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): { child: ChildProcess; lines: Record<string, unknown>[]; stderr: () => string; exited: Promise<number | null> } {
    const child = spawn(process.execPath, [main, ...args], { cwd: options.cwd ?? mkdtempSync(join(tmpdir(), 'tollgate-main-')), env: { PATH: process.env.PATH, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Record<string, unknown>[] = [];
    let err = '';
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const part of parts) if (part.startsWith('{')) lines.push(JSON.parse(part) as Record<string, unknown>);
    });
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, lines, stderr: () => err, exited };
  }

  async function started(p: ReturnType<typeof run>): Promise<Record<string, unknown>> {
    for (let i = 0; i < 600; i++) {
      const line = p.lines.find((l) => l.msg === 'tollgate started');
      if (line) return line;
      if (p.child.exitCode !== null) throw new Error(`exited ${p.child.exitCode}: ${p.stderr()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('daemon did not start');
  }

  function configFile(extra: Record<string, unknown> = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-main-'));
    const path = join(dir, 'tollgate.yaml');
    writeFileSync(
      path,
      JSON.stringify({
        dataDir: join(dir, 'data'),
        log: { level: 'info' },
        radius: { listen: ['127.0.0.1'], authPort: 0, acctPort: 0 },
        admin: { listen: '127.0.0.1', port: 0 },
        portal: { listen: '127.0.0.1', port: 0 },
        shutdown: { drainTimeoutMs: 1000 },
        clients: [{ name: 'bras', address: '127.0.0.1', secret: SECRET }],
        ...extra,
      }),
    );
    return path;
  }

  it('--config FILE is used (no demo subscribers under a file); SIGTERM with half-open clients exits 0 within the bound', async () => {
    const path = configFile();
    const p = run(['--config', path]);
    try {
      const line = await started(p);
      expect(line.source).toBe(path);
      const ports = line.ports as { auth: number; admin: number; portal: number };
      expect(ports.auth).toBeGreaterThan(0);
      expect(p.lines.some((l) => l.msg === 'empty embedded database: seeded the demo tariff and subscribers')).toBe(false);
      expect((await exchange(ports.auth, pap('alice', 'alice-password')))?.[0]).toBe(Code.AccessReject);
      const clients = [await halfOpen(ports.admin, 'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Ha'), await halfOpen(ports.portal, 'GET / HTTP/1.1\r\nHost: x\r\nX-Ha')];
      const t0 = Date.now();
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      const took = Date.now() - t0;
      await Promise.all(clients.map((c) => c.closed));
      expect(took).toBeLessThan(2 * 1000 + 3000);
      console.info(`SIGTERM to exit with half-open admin and portal clients: ${took} ms (drainTimeoutMs 1000)`);
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  }, 120_000);

  it('-c FILE with demo.seed: true seeds the empty embedded database', async () => {
    const p = run(['-c', configFile({ demo: { seed: true } })]);
    try {
      const line = await started(p);
      expect(p.lines.some((l) => l.msg === 'empty embedded database: seeded the demo tariff and subscribers')).toBe(true);
      const ports = line.ports as { auth: number };
      expect((await exchange(ports.auth, pap('alice', 'alice-password')))?.[0]).toBe(Code.AccessAccept);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  }, 120_000);

  it('the built-in development defaults (no file at all) seed the demo subscribers', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tollgate-main-'));
    const env = { TOLLGATE_RADIUS_AUTH_PORT: '0', TOLLGATE_RADIUS_ACCT_PORT: '0', TOLLGATE_ADMIN_PORT: '0', TOLLGATE_PORTAL_PORT: '0', TOLLGATE_DATA_DIR: join(cwd, 'data') };
    const p = run([], { cwd, env });
    try {
      const line = await started(p);
      expect(line.source).toBe('built-in development defaults');
      // The embedded database keeps one process, and the line says so.
      expect(line).toMatchObject({ workers: 1, workersSource: 'default', workersReason: 'one process: the embedded database lives in one process' });
      expect(p.lines.some((l) => l.msg === 'empty embedded database: seeded the demo tariff and subscribers')).toBe(true);
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  }, 120_000);

  it('an unknown flag or a stray argument: exit 64 with the usage, before anything starts', async () => {
    for (const args of [['--bogus'], ['--config'], ['serve']]) {
      const p = run(args);
      expect(await p.exited, args.join(' ')).toBe(64);
      expect(p.stderr()).toContain('usage: node dist/src/main.js');
      expect(p.lines).toEqual([]);
    }
  });

  it('a named configuration file that does not exist (flag or TOLLGATE_CONFIG): exit 78', async () => {
    const missing = join(tmpdir(), 'tollgate-no-such-dir', 'tollgate.yaml');
    for (const p of [run(['--config', missing]), run([], { env: { TOLLGATE_CONFIG: missing } })]) {
      expect(await p.exited).toBe(78);
      expect(p.stderr()).toContain(`cannot read ${missing}`);
    }
  });

  it('a dictionary that does not parse or is missing: exit 78 naming the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-dict-'));
    const bad = join(dir, 'dictionary.local');
    writeFileSync(bad, 'ATTRIBUTE Local-One 3000 string\nATTRIBUTE Local-Two\n');
    const broken = run(['--config', configFile({ radius: { listen: ['127.0.0.1'], authPort: 0, acctPort: 0, dictionaries: [bad] } })]);
    expect(await broken.exited).toBe(78);
    expect(broken.stderr()).toContain(`${bad}:2: ATTRIBUTE needs a name`);
    const missing = join(dir, 'nowhere.dict');
    const absent = run(['--config', configFile({ radius: { listen: ['127.0.0.1'], authPort: 0, acctPort: 0, dictionaries: [missing] } })]);
    expect(await absent.exited).toBe(78);
    expect(absent.stderr()).toContain(`${missing}: cannot read dictionary`);
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
    await buildOnce();
    configPath = join(mkdtempSync(join(tmpdir(), 'tollgate-cluster-')), 'tollgate.json');
    writeConfig([{ username: 'alice', password: 'alice-password' }]);
    const serve = spawnServe<typeof ports>(root, configPath, { timeoutMs: 20_000, onLine: (line) => lines.push(line) });
    child = serve.child;
    ports = await serve.started;
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    const admin = createPostgresSql(databaseUrl ?? '', { max: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  });

  it('both workers answer on the one port, and the primary aggregates their metrics', async () => {
    expect(lines.find((l) => l.msg === 'tollgate started')).toMatchObject({ workers: 2, workersSource: 'explicit', workersReason: 'radius.workers 2' });
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
