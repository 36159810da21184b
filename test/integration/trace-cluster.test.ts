/**
 * Live traces with radius.workers = 2 (a real daemon from dist/, PostgreSQL): the API and the hub run in the
 * primary, the packets in the workers. A trace started through the API reaches both workers over cluster IPC, their
 * events come back the same way to the primary's event stream; workers started later (both killed and replaced)
 * ask for the active traces and trace from their first packet. Runs where TEST_DATABASE_URL is set.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code } from '../../src/radius/codes.js';
import { encodeRequest } from '../../src/radius/crypto.js';
import { createPostgresSql } from '../../src/store/postgres.js';
import { apiClient } from '../helpers/api-client.js';
import { SECRET } from '../helpers/daemon.js';
import { spawnServe } from '../helpers/serve-process.js';
import { exchange } from '../helpers/udp-client.js';
import { buildOnce } from '../helpers/build.js';

const root = join(import.meta.dirname, '../..');
const TOKEN = 'trace-cluster-admin-token-31d7';
const databaseUrl = process.env.TEST_DATABASE_URL;

interface SseEvent {
  readonly type: string;
  readonly [key: string]: unknown;
}

/** The worker processes of `primary` (Linux /proc): the children whose parent it is. */
function workerPids(primary: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.split(' ')[1] === String(primary);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** A UDP port free now on 127.0.0.1: the workers restarted by the test must bind the same ports again. */
async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A Status-Server: answered by whichever worker gets it, no user needed (Access-Accept on the auth port). */
function statusServer(id: number): Buffer {
  return encodeRequest(Code.StatusServer, id, [], Buffer.from(SECRET), { messageAuthenticator: true });
}

describe.skipIf(!databaseUrl)('live trace with two workers (PostgreSQL)', () => {
  const schema = `tg_trace_cluster_${randomBytes(5).toString('hex')}`;
  const url = `${databaseUrl ?? ''}${(databaseUrl ?? '').includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  let child: ChildProcess;
  let ports: { admin: number; auth: number };
  const api = () => apiClient(`http://127.0.0.1:${ports.admin}`, TOKEN);

  beforeAll(async () => {
    const admin = createPostgresSql(databaseUrl ?? '', { max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.close();
    await buildOnce();
    const configPath = join(mkdtempSync(join(tmpdir(), 'tollgate-trace-cluster-')), 'tollgate.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        dataDir: join(configPath, '..', 'data'),
        log: { level: 'info' },
        database: { url, poolSize: 2 },
        radius: { listen: ['127.0.0.1'], authPort: await freeUdpPort(), acctPort: await freeUdpPort(), workers: 2 },
        admin: { listen: '127.0.0.1', port: 0, token: TOKEN },
        portal: { listen: '127.0.0.1', port: 0 },
        clients: [{ name: 'bras-v4', address: '127.0.0.1', secret: SECRET, requireMessageAuthenticator: false }],
      }),
    );
    const serve = spawnServe<{ admin: number; auth: number }>(root, configPath, { timeoutMs: 30_000 });
    child = serve.child;
    ports = await serve.started;
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    const admin = createPostgresSql(databaseUrl ?? '', { max: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  });

  /** The packet events of the trace's stream after `send` ran, until `enough` says so (or 10 s). */
  async function traced(id: number, enough: (packets: SseEvent[]) => boolean, send: () => Promise<void>): Promise<SseEvent[]> {
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${ports.admin}/api/v1/traces/${id}/events`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: controller.signal });
    expect(res.status).toBe(200);
    const events: SseEvent[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffered = '';
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffered += decoder.decode(chunk, { stream: true });
          let cut: number;
          while ((cut = buffered.indexOf('\n\n')) >= 0) {
            const frame = buffered.slice(0, cut);
            buffered = buffered.slice(cut + 2);
            if (frame.startsWith('data: ')) events.push(JSON.parse(frame.slice(6)) as SseEvent);
          }
        }
      } catch {
        // Aborted below.
      }
    })();
    await send();
    const deadline = Date.now() + 10_000;
    while (!enough(events.filter((e) => e.type === 'packet')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await reading;
    return events.filter((e) => e.type === 'packet');
  }

  it("carries the trace to the workers and their events to the primary's stream", async () => {
    const created = await api().call('POST', '/api/v1/traces', { nas: 'bras-v4', minutes: 5 });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as number;
    // The set reaches the workers asynchronously; a request answered before it is simply not traced.
    await new Promise((r) => setTimeout(r, 300));
    const events = await traced(id, (p) => p.length >= 8, async () => {
      for (let i = 0; i < 4; i++) expect((await exchange(ports.auth, statusServer(i + 1)))?.[0]).toBe(Code.AccessAccept);
    });
    expect(events.map((e) => [e.direction, e.code])).toEqual(
      Array.from({ length: 4 }, () => [
        ['in', 'Status-Server'],
        ['out', 'Access-Accept'],
      ]).flat(),
    );
    // Seen by workers, not by the primary.
    const workers = workerPids(child.pid as number);
    expect(workers).toHaveLength(2);
    for (const e of events) expect(workers.map(String)).toContain(String(e.seenBy).split('/')[1]);
  });

  it('gives workers started later the active traces', async () => {
    const listed = (await api().call('GET', '/api/v1/traces')).json.items as { id: number }[];
    const id = listed[0]?.id as number;
    const before = workerPids(child.pid as number);
    for (const pid of before) process.kill(pid, 'SIGKILL');
    // The primary forks a replacement a second after each exit; wait for two new workers answering.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const now = workerPids(child.pid as number);
      if (now.length === 2 && now.every((p) => !before.includes(p))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    let answered = false;
    while (!answered && Date.now() < deadline) answered = (await exchange(ports.auth, statusServer(99), { timeoutMs: 300 })) !== null;
    expect(answered).toBe(true);
    const events = await traced(id, (p) => p.some((e) => e.identifier === 100 && e.direction === 'out'), async () => {
      expect((await exchange(ports.auth, statusServer(100)))?.[0]).toBe(Code.AccessAccept);
    });
    // The recent events come first (from before the restart); the last two are the new workers'.
    const after = workerPids(child.pid as number).map(String);
    expect(events.slice(-2).map((e) => [e.direction, e.identifier])).toEqual([
      ['in', 100],
      ['out', 100],
    ]);
    for (const e of events.slice(-2)) expect(after).toContain(String(e.seenBy).split('/')[1]);
  }, 40_000);
});
