/**
 * CoA over RadSec with radius.workers = 2 (a real daemon from dist/, PostgreSQL): the NAS's TLS connection lives in
 * one worker, the admin API's Disconnect-Request is originated in the primary, and the primary has the worker
 * holding the connection send it there (app/cluster-coa.ts); the NAS's ACK on the connection answers the API. Once
 * the NAS has closed its connection the next one goes over UDP. Runs where TEST_DATABASE_URL is set.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeReply, encodeRequest, hidePassword, randomAuthenticator, verifyRequestAuthenticator } from '../../src/radius/crypto.js';
import { findAttribute, parsePacket } from '../../src/radius/packet.js';
import { createPostgresSql } from '../../src/store/postgres.js';
import type { Sql } from '../../src/store/sql.js';
import { insertSession } from '../contract/sessions.contract.js';
import { apiClient } from '../helpers/api-client.js';
import { SECRET } from '../helpers/daemon.js';
import { FakeBras } from '../helpers/fake-bras.js';
import { makePki, tlsConnect, type Pki, type StreamClient } from '../helpers/radsec.js';
import { spawnServe } from '../helpers/serve-process.js';
import { buildOnce } from '../helpers/build.js';

const root = join(import.meta.dirname, '../..');
const TOKEN = 'coa-radsec-cluster-admin-token';
const RADSEC = Buffer.from('radsec');
const databaseUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!databaseUrl)('CoA over RadSec with two workers (PostgreSQL)', () => {
  const schema = `tg_coa_radsec_${randomBytes(5).toString('hex')}`;
  const url = `${databaseUrl ?? ''}${(databaseUrl ?? '').includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const bras = new FakeBras({ secret: SECRET });
  let child: ChildProcess;
  let pki: Pki;
  let sql: Sql;
  let ports: { admin: number; radsec: number };
  let nasId = 0;
  const coaPorts: number[] = [];
  const api = () => apiClient(`http://127.0.0.1:${ports.admin}`, TOKEN);

  beforeAll(async () => {
    const admin = createPostgresSql(databaseUrl ?? '', { max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.close();
    pki = makePki();
    const brasPort = await bras.start();
    await buildOnce();
    const configPath = join(mkdtempSync(join(tmpdir(), 'tollgate-coa-radsec-')), 'tollgate.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        dataDir: join(configPath, '..', 'data'),
        log: { level: 'info' },
        database: { url, poolSize: 2 },
        radius: { listen: ['127.0.0.1'], authPort: 0, acctPort: 0, workers: 2, radsec: { port: 0, certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.ca } },
        admin: { listen: '127.0.0.1', port: 0, token: TOKEN },
        portal: { listen: '127.0.0.1', port: 0 },
        clients: [{ name: 'elsewhere', address: '192.0.2.99', secret: SECRET }],
      }),
    );
    const serve = spawnServe<{ admin: number; radsec: number }>(root, configPath, {
      timeoutMs: 30_000,
      onLine: (line) => {
        if (line.msg === 'CoA client socket ready' && typeof line.port === 'number') coaPorts.push(line.port);
      },
    });
    child = serve.child;
    ports = await serve.started;
    sql = createPostgresSql(url, { max: 1 });
    const created = await api().call('POST', '/api/v1/nas', { name: 'tls-bras', address: '127.0.0.1', secret: SECRET, vendor: 'generic', coaPort: brasPort, tlsName: 'nas1.example.net' });
    expect(created.status, created.text).toBe(201);
    nasId = created.json.id as number;
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    bras.close();
    await sql?.close();
    const admin = createPostgresSql(databaseUrl ?? '', { max: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  });

  /** A NAS connected over RadSec and admitted (its Status-Server answered): the workers have reloaded the NAS row. */
  async function connectNas(): Promise<StreamClient> {
    for (let i = 0; i < 100; i++) {
      const c = await tlsConnect(ports.radsec, pki, pki.good).catch(() => null);
      if (c) {
        c.write(encodeRequest(Code.StatusServer, 1, [], RADSEC, { messageAuthenticator: true }));
        if (await c.next(300).then(() => true, () => false)) return c;
        c.close();
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the RadSec connection was never admitted');
  }

  const openSession = (): Promise<number> =>
    insertSession(sql, { username: `u-${randomBytes(3).toString('hex')}`, nasName: 'tls-bras', nasId, framedIp: '100.64.5.5', startedAt: '2030-03-01T00:00:00Z' });

  it('gives every process a CoA socket of its own (a worker reads only the answers to its own requests)', () => {
    expect(coaPorts).toHaveLength(3);
    expect(new Set(coaPorts).size).toBe(3);
  });

  it('sends the API\'s Disconnect-Request through the worker holding the connection, and its ACK answers the API', async () => {
    const nas = await connectNas();
    const id = await openSession();
    const call = api().call('POST', `/api/v1/sessions/${id}/disconnect`);
    const request = parsePacket(await nas.next(5000));
    expect(request.code).toBe(Code.DisconnectRequest);
    expect(verifyRequestAuthenticator(request, RADSEC)).toBe(true);
    expect(findAttribute(request, Attr.AcctSessionId)).toBeDefined();
    nas.write(encodeReply(Code.DisconnectACK, request.identifier, request.authenticator, [], RADSEC, { messageAuthenticator: true }));
    const r = await call;
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ result: 'ack', attempts: 1 });
    expect(bras.received).toHaveLength(0);
    const audit = await sql.query<{ result: string; transport: string }>('SELECT result, transport FROM coa_audit WHERE session_id = $1', [id]);
    expect(audit).toEqual([{ result: 'ack', transport: 'radsec' }]);
    nas.close();
    await nas.closed;
  });

  it('shows in the primary\'s API the Message-Authenticator counts the workers keep', async () => {
    const nas = await connectNas();
    const authenticator = randomAuthenticator();
    const password = hidePassword(Buffer.from('pw'), RADSEC, authenticator);
    nas.write(encodeRequest(Code.AccessRequest, 9, [{ type: Attr.UserName, value: Buffer.from('nobody') }, { type: Attr.UserPassword, value: password }], RADSEC, { messageAuthenticator: true, authenticator }));
    expect(parsePacket(await nas.next(5000)).code).toBe(Code.AccessReject);
    const r = await api().call('GET', `/api/v1/nas/${nasId}`);
    expect(r.status, r.text).toBe(200);
    expect(r.json.messageAuthenticator).toMatchObject({ counts: { first: 1, present: 0, absent: 0 } });
    nas.close();
    await nas.closed;
  });

  it('goes over UDP once the NAS has closed its connection', async () => {
    // Should the worker not have seen the close yet, its write fails or the close follows it: UDP from there too.
    const id = await openSession();
    const r = await api().call('POST', `/api/v1/sessions/${id}/disconnect`);
    expect(r.status, r.text).toBe(200);
    expect(bras.requests.map((p) => p.code)).toEqual([Code.DisconnectRequest]);
    const audit = await sql.query<{ result: string; transport: string }>('SELECT result, transport FROM coa_audit WHERE session_id = $1', [id]);
    expect(audit).toEqual([{ result: 'ack', transport: 'udp' }]);
  });
});
