/**
 * radius.io batch with several workers: cluster cannot hand a native fd to its workers, so each worker binds the
 * port itself with SO_REUSEPORT and the kernel spreads the senders over the workers' sockets. The daemon is run as
 * an operator runs it (dist/src/cli.js serve), on PostgreSQL (several workers need it), where TEST_DATABASE_URL is
 * set. The ports are fixed for this (each worker must bind the same one): taken free from the kernel just before.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator } from '../../src/radius/crypto.js';
import { createPostgresSql } from '../../src/store/postgres.js';
import { loadUdpBatch } from '../../src/transport/batch-socket.js';
import { metricValue, SECRET } from '../helpers/daemon.js';
import { exchange } from '../helpers/udp-client.js';
import { spawnServe } from '../helpers/serve-process.js';
import { buildOnce } from '../helpers/build.js';

const secret = Buffer.from(SECRET);
const root = join(import.meta.dirname, '../..');
const databaseUrl = process.env.TEST_DATABASE_URL;

function pap(user: string, password: string, id: number): Buffer {
  const authenticator = randomAuthenticator();
  return encodeRequest(
    Code.AccessRequest,
    id,
    [
      { type: Attr.UserName, value: Buffer.from(user) },
      { type: Attr.UserPassword, value: hidePassword(Buffer.from(password), secret, authenticator) },
    ],
    secret,
    { messageAuthenticator: true, authenticator },
  );
}

/** A UDP port the kernel just gave out and took back (port 0 cannot be shared by separately bound sockets). */
async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind({ address: '127.0.0.1', port: 0 }, () => resolve()));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe.skipIf(!databaseUrl || !loadUdpBatch().ok)('radius.io batch with two workers (SO_REUSEPORT, PostgreSQL)', () => {
  let child: ChildProcess;
  const schema = `tg_batchio_${randomBytes(5).toString('hex')}`;
  const url = `${databaseUrl ?? ''}${(databaseUrl ?? '').includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  let ports: { auth: number; acct: number; admin: number };
  const lines: Record<string, unknown>[] = [];
  let configPath = '';

  beforeAll(async () => {
    const admin = createPostgresSql(databaseUrl ?? '', { max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.close();
    await buildOnce();
    configPath = join(mkdtempSync(join(tmpdir(), 'tollgate-batchio-')), 'tollgate.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        dataDir: join(configPath, '..', 'data'),
        // debug: each decision is logged with the worker that made it.
        log: { level: 'debug' },
        database: { url, poolSize: 2 },
        radius: { listen: ['127.0.0.1'], authPort: await freeUdpPort(), acctPort: await freeUdpPort(), workers: 2, io: 'batch' },
        admin: { listen: '127.0.0.1', port: 0 },
        portal: { listen: '127.0.0.1', port: 0 },
        clients: [{ name: 'bras', address: '127.0.0.1', secret: SECRET }],
        users: [{ username: 'alice', password: 'alice-password' }],
      }),
    );
    const serve = spawnServe<typeof ports>(root, configPath, { timeoutMs: 20_000, onLine: (line) => lines.push(line) });
    child = serve.child;
    ports = await serve.started;
  }, 90_000); // the build and two workers on a busy 2-core machine

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    const admin = createPostgresSql(databaseUrl ?? '', { max: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  });

  it('each worker binds its own batch socket on the one port; every sender is answered', async () => {
    const listenerLines = () => lines.filter((l) => l.msg === 'RADIUS listener ready' && l.role === 'auth');
    // Each worker writes its own log lines to the shared stdout: the second may trail the primary's "started".
    for (let i = 0; i < 100 && listenerLines().length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    const ready = listenerLines();
    expect(ready).toHaveLength(2);
    expect(new Set(ready.map((l) => l.worker)).size).toBe(2);
    expect(ready.every((l) => l.io === 'batch' && l.port === ports.auth)).toBe(true);
    // The start line says which path the workers use.
    expect(lines.find((l) => l.msg === 'tollgate started')?.udpIo).toBe('batch');
    // Each exchange comes from a socket (and port) of its own: the kernel's hash sends them to both workers.
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => exchange(ports.auth, pap('alice', 'alice-password', i))));
    expect(replies.every((r) => r?.[0] === Code.AccessAccept)).toBe(true);
    const text = await (await fetch(`http://127.0.0.1:${ports.admin}/metrics`)).text();
    expect(metricValue(text, 'tollgate_radius_responses_total', { code: 'Access-Accept', nas: 'bras' })).toBe(40);
    // One value for the cluster, not one per worker.
    expect(metricValue(text, 'tollgate_radius_udp_io_info', { io: 'batch' })).toBe(1);
    expect(metricValue(text, 'tollgate_radius_udp_io_info', { io: 'dgram' })).toBe(0);
  });

  it('one sender on one source port is served by both workers (spread by Identifier), each retransmission by the same', async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, () => resolve()));
    const replies = new Map<number, number>();
    socket.on('message', (m) => replies.set(m[1] as number, (replies.get(m[1] as number) ?? 0) + 1));
    const from = lines.length;
    // Identifiers 100..131, each sent twice: the copy is a retransmission, answered from the reply cache.
    const packets = Array.from({ length: 32 }, (_, i) => pap('alice', 'alice-password', 100 + i));
    for (const p of [...packets, ...packets]) socket.send(p, ports.auth, '127.0.0.1');
    for (let i = 0; i < 200 && [...replies.values()].reduce((a, b) => a + b, 0) < 64; i++) await new Promise((r) => setTimeout(r, 25));
    socket.close();
    expect(replies.size).toBe(32);
    expect([...replies.values()].every((n) => n === 2)).toBe(true);
    // The workers' log lines come through their stdout, which may trail the replies on a loaded machine: wait for
    // them (bounded) before counting, so a late line is not taken for a decision that never happened.
    const decidedLines = () => lines.slice(from).filter((l) => l.msg === 'access accepted');
    for (let i = 0; i < 200 && decidedLines().length < 32; i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 100)); // and a moment more: a 33rd line would be a second decision
    const decided = decidedLines();
    // Each request decided once (the copies came from the reply cache of the worker that decided it) …
    expect(decided).toHaveLength(32);
    // … by both workers, though every datagram came from one address and port.
    expect(new Set(decided.map((l) => l.worker)).size).toBe(2);
  });

  it('a second daemon on the same ports is refused at start, naming the port (SO_REUSEPORT would let it in)', async () => {
    const said: Record<string, unknown>[] = [];
    const second = spawnServe<typeof ports>(root, configPath, { timeoutMs: 20_000, onLine: (l) => said.push(l) });
    const code = await new Promise<number | null>((resolve) => second.child.once('exit', (c) => resolve(c)));
    second.started.catch(() => undefined);
    expect(code).toBe(1);
    const fatal = said.find((l) => l.msg === 'start-up failed') as { err?: { message?: string } } | undefined;
    expect(fatal?.err?.message).toContain(`already serves RADIUS on 127.0.0.1 port ${ports.auth}`);
  });

  it('SIGTERM drains both workers and exits 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
