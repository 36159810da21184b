/**
 * From legacy NAS to strict mode through the real daemon: a NAS created through the API is `auto`, answered
 * without Message-Authenticator until it sends a valid one, then strict for good — in memory at once, in the
 * database (the API shows it), and after a restart on the same database. A config-file client with auto is kept
 * by its address. Raw datagrams over real UDP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator } from '../../src/radius/crypto.js';
import type { RawAttribute } from '../../src/radius/packet.js';
import { metricValue, SECRET, startTestDaemon, testConfigInput, type TestDaemon } from '../helpers/daemon.js';
import { exchange } from '../helpers/udp-client.js';

const secret = Buffer.from(SECRET);
const API_NAS = '127.0.0.6';
const CONFIG_NAS = '127.0.0.7';
const TOKEN = 'message-authenticator-admin-token';

let nextId = 0;
function accessRequest(ma: boolean, proxyState = false): Buffer {
  const authenticator = randomAuthenticator();
  const attrs: RawAttribute[] = [
    { type: Attr.UserName, value: Buffer.from('alice') },
    { type: Attr.UserPassword, value: hidePassword(Buffer.from('alice-password'), secret, authenticator) },
    ...(proxyState ? [{ type: Attr.ProxyState, value: Buffer.from('ps') }] : []),
  ];
  return encodeRequest(Code.AccessRequest, ++nextId & 0xff, attrs, secret, { messageAuthenticator: ma, authenticator });
}

async function until<T>(what: () => Promise<T | undefined | false>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = await what();
    if (got) return got;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface MaView {
  required: boolean;
  seenAt: string | null;
  counts: { first: number; present: number; absent: number; withProxyState: { first: number; present: number; absent: number } } | null;
}

const flips = (d: TestDaemon, nas: string) => d.logs.filter((l) => l.nas === nas && String(l.msg).startsWith('NAS sent a valid Message-Authenticator'));

describe('requireMessageAuthenticator: auto through the daemon', () => {
  const input = testConfigInput({
    admin: { listen: '127.0.0.1', port: 0, token: TOKEN },
    clients: [
      ...(testConfigInput().clients as object[]),
      { name: 'cfg-auto', address: CONFIG_NAS, secret: SECRET, requireMessageAuthenticator: 'auto' },
    ],
  });
  let a: TestDaemon;
  let b: TestDaemon | undefined;
  let id: number;
  beforeAll(async () => {
    a = await startTestDaemon(input);
  });
  afterAll(async () => {
    await b?.app.stop();
    await a.stop();
  });

  const view = async (d: TestDaemon): Promise<MaView> => {
    const r = await d.api.call('GET', `/api/v1/nas/${id}`);
    expect(r.status, r.text).toBe(200);
    return (r.json as { messageAuthenticator: MaView }).messageAuthenticator;
  };

  it('a NAS created through the API is auto: answered without Message-Authenticator, counted', async () => {
    const created = await a.api.call('POST', '/api/v1/nas', { name: 'auto-bras', address: API_NAS, secret: SECRET, vendor: 'generic' });
    expect(created.status, created.text).toBe(201);
    id = (created.json as { id: number }).id;
    expect(created.json).toMatchObject({ requireMessageAuthenticator: 'auto', messageAuthenticator: { required: false, seenAt: null } });
    // The daemon reloads its clients on the change event.
    await until(async () => (await exchange(a.app.ports.auth, accessRequest(false), { from: API_NAS, timeoutMs: 200 }))?.[0] === Code.AccessAccept);
    // limitProxyState (default true) drops Proxy-State without Message-Authenticator; it is counted all the same.
    expect(await exchange(a.app.ports.auth, accessRequest(false, true), { from: API_NAS, timeoutMs: 300 })).toBeNull();
    const seen = await view(a);
    expect(seen).toMatchObject({ required: false, seenAt: null });
    expect(seen.counts?.absent).toBeGreaterThanOrEqual(2);
    expect(seen.counts?.withProxyState.absent).toBe(1);
    expect(seen.counts?.first).toBe(0);
  });

  it('the first valid Message-Authenticator flips it for good: logged once, stored, then requests without one are dropped', async () => {
    expect((await exchange(a.app.ports.auth, accessRequest(true), { from: API_NAS }))?.[0]).toBe(Code.AccessAccept);
    expect((await exchange(a.app.ports.auth, accessRequest(true), { from: API_NAS }))?.[0]).toBe(Code.AccessAccept);
    const missing = metricValue(await a.metrics(), 'tollgate_radius_dropped_total', { reason: 'missing_message_authenticator' });
    expect(await exchange(a.app.ports.auth, accessRequest(false), { from: API_NAS, timeoutMs: 300 })).toBeNull();
    const metrics = await a.metrics();
    expect(metricValue(metrics, 'tollgate_radius_dropped_total', { reason: 'missing_message_authenticator' })).toBe(missing + 1);
    expect(metricValue(metrics, 'tollgate_radius_message_authenticator_total', { nas: 'auto-bras', state: 'first', proxy_state: 'no' })).toBe(2);
    expect(flips(a, 'auto-bras')).toHaveLength(1);

    const stored = await until(async () => {
      const v = await view(a);
      return v.seenAt !== null && v;
    });
    expect(stored).toMatchObject({ required: true, seenAt: expect.stringMatching(/^\d{4}-/) });
    expect(stored.counts).toMatchObject({ first: 2, present: 0 });
    // The reload the stored sighting triggers keeps it strict.
    expect(await exchange(a.app.ports.auth, accessRequest(false), { from: API_NAS, timeoutMs: 300 })).toBeNull();
  });

  it('a config-file client with auto flips the same way, kept by its address', async () => {
    expect((await exchange(a.app.ports.auth, accessRequest(false), { from: CONFIG_NAS }))?.[0]).toBe(Code.AccessAccept);
    expect((await exchange(a.app.ports.auth, accessRequest(true), { from: CONFIG_NAS }))?.[0]).toBe(Code.AccessAccept);
    expect(await exchange(a.app.ports.auth, accessRequest(false), { from: CONFIG_NAS, timeoutMs: 300 })).toBeNull();
    expect(flips(a, 'cfg-auto')).toHaveLength(1);
    await until(async () => (await a.app.store.nas.configClientsWithMessageAuthenticator()).has(CONFIG_NAS));
    // Other clients keep their settings: the legacy one is still answered without it.
    expect((await exchange(a.app.ports.auth, accessRequest(false), { from: '127.0.0.3' }))?.[0]).toBe(Code.AccessAccept);
  });

  it('after a restart on the same database both are still strict, without a new flip', async () => {
    await a.app.stop();
    b = await startTestDaemon(input, undefined, a);
    for (const from of [API_NAS, CONFIG_NAS]) {
      expect(await exchange(b.app.ports.auth, accessRequest(false), { from, timeoutMs: 300 })).toBeNull();
      expect((await exchange(b.app.ports.auth, accessRequest(true), { from }))?.[0]).toBe(Code.AccessAccept);
    }
    expect(flips(b, 'auto-bras')).toHaveLength(0);
    expect(flips(b, 'cfg-auto')).toHaveLength(0);
    expect(await view(b)).toMatchObject({ required: true, seenAt: expect.any(String) });
  });

  it('the OpenAPI document describes the setting and the read-only view', async () => {
    const doc = await (b ?? a).api.call('GET', '/api/v1/openapi.json');
    const schemas = (doc.json as { components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> } }).components.schemas;
    expect(schemas.Nas?.properties.messageAuthenticator).toMatchObject({ readOnly: true, type: 'object' });
    expect(JSON.stringify(schemas.NasCreate?.properties.requireMessageAuthenticator)).toContain('"auto"');
    expect(schemas.NasCreate?.properties.requireMessageAuthenticator).toMatchObject({ default: 'auto' });
  });
});
