/**
 * Live traces without the daemon: how a traced packet is described (dictionary names, vendors, VALUE names, every
 * secret hidden), the tap on a real UDP server (matching by User-Name, NAS name and address; requests, replies,
 * drops and replays; nothing set on the path while no trace is active; the per-trace rate), and the hub (limits per
 * operator and in all, streams and their limit, recent events, ends, other instances' traces and forwarding).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { shippedDictionary } from '../../../src/app/paths.js';
import { loadDictionaryFiles } from '../../../src/config/dictionary-files.js';
import { TRACE_LIMITS, traceOwnerOf, type TraceAttribute, type TracePacketEvent, type TraceSpec, type TraceStreamEvent } from '../../../src/domain/trace.js';
import { sseFrames } from '../../../src/http/api/traces.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Code } from '../../../src/radius/codes.js';
import { encodeRequest } from '../../../src/radius/crypto.js';
import { encodeAttributes } from '../../../src/radius/encode.js';
import { NasTable } from '../../../src/transport/nas-table.js';
import { REMOTE_SILENCE_MS, TraceHub, type TraceControlMessage } from '../../../src/transport/trace-hub.js';
import { describeBytes } from '../../../src/transport/trace-packet.js';
import { TraceTap, type TapEvent } from '../../../src/transport/trace-tap.js';
import { UdpServer } from '../../../src/transport/udp-server.js';
import { burst, exchange } from '../../helpers/udp-client.js';
import { logSink } from '../../helpers/log.js';

const dict = loadDictionaryFiles([shippedDictionary()]);
const SECRET = Buffer.from('trace-unit-secret-01');

function accessRequest(user: string, password: string, id = 7, extra: { name: string; value: string | number | Buffer }[] = []): Buffer {
  const authenticator = randomBytes(16);
  const attrs = encodeAttributes(dict, [{ name: 'User-Name', value: user }, { name: 'User-Password', value: password }, ...extra], { secret: SECRET, authenticator });
  return encodeRequest(Code.AccessRequest, id, attrs, SECRET, { messageAuthenticator: true, authenticator });
}

function attr(event: { attributes: readonly TraceAttribute[] }, name: string): TraceAttribute | undefined {
  return event.attributes.find((a) => a.name === name);
}

describe('a traced packet as text', () => {
  it('names attributes from the dictionary, with vendors and VALUE names, and hides every secret', () => {
    const bytes = accessRequest('alice', 'alice-password', 9, [
      { name: 'Service-Type', value: 'Framed-User' },
      { name: 'NAS-IP-Address', value: '192.0.2.1' },
      { name: 'Mikrotik-Rate-Limit', value: '10M/10M' },
      { name: 'CHAP-Password', value: Buffer.alloc(17, 1) },
      { name: 'MS-CHAP2-Response', value: Buffer.alloc(50, 2) },
    ]);
    const d = describeBytes(dict, bytes);
    expect(d).toMatchObject({ code: 'Access-Request', identifier: 9, length: bytes.length });
    expect(attr(d, 'User-Name')).toEqual({ name: 'User-Name', value: 'alice' });
    expect(attr(d, 'User-Password')).toEqual({ name: 'User-Password', value: '[hidden 16 bytes]' });
    expect(attr(d, 'Message-Authenticator')).toEqual({ name: 'Message-Authenticator', value: '[hidden 16 bytes]' });
    expect(attr(d, 'CHAP-Password')).toEqual({ name: 'CHAP-Password', value: '[hidden 17 bytes]' });
    expect(attr(d, 'MS-CHAP2-Response')).toEqual({ name: 'MS-CHAP2-Response', vendor: 'Microsoft', value: '[hidden 50 bytes]' });
    expect(attr(d, 'Mikrotik-Rate-Limit')).toEqual({ name: 'Mikrotik-Rate-Limit', vendor: 'Mikrotik', value: '10M/10M' });
    expect(attr(d, 'Service-Type')?.value).toBe('Framed-User');
    expect(attr(d, 'NAS-IP-Address')?.value).toBe('192.0.2.1');
    // Not even the hidden bytes leave: no hex of any secret attribute.
    expect(JSON.stringify(d)).not.toMatch(/0x0101|0x0202|alice-password/);
  });

  it('shows what the header says of a packet that does not parse', () => {
    const bytes = Buffer.from([1, 42, 0, 200, 1, 2, 3]);
    expect(describeBytes(dict, bytes)).toEqual({ code: 'Access-Request', identifier: 42, length: 7, attributes: [] });
  });
});

let server: UdpServer | undefined;
afterEach(async () => {
  await server?.stop(100);
  server = undefined;
});

async function tappedServer(events: TapEvent[], options: { perSecond?: number; replyCacheSeconds?: number } = {}) {
  const nas = new NasTable([{ name: 'bras-1', address: '127.0.0.1', secret: SECRET.toString(), vendor: 'mikrotik', coaPort: 3799 }], {
    requireMessageAuthenticator: false,
    limitProxyState: false,
  });
  server = new UdpServer(
    nas,
    {
      access: (ctx) => ({ code: Code.AccessAccept, attributes: encodeAttributes(dict, [{ name: 'Reply-Message', value: `hello ${ctx.packet.identifier}` }]) }),
      accounting: () => ({ code: Code.AccountingResponse, attributes: [] }),
    },
    {
      listen: ['127.0.0.1'],
      authPort: 0,
      acctPort: 0,
      receiveBufferBytes: 1 << 20,
      sendBufferBytes: 1 << 20,
      replyCacheSeconds: options.replyCacheSeconds ?? 0,
      unknownClientLogIntervalSeconds: 60,
      shared: false,
      io: 'dgram',
    },
    createLogger('info', logSink().stream),
  );
  const tap = new TraceTap(dict, (e) => events.push(e), { eventsPerSecond: options.perSecond ?? 1000, seenBy: 'unit' });
  tap.attach(server.path);
  await server.start();
  return { tap, ports: server.ports() };
}

const spec = (id: number, filter: TraceSpec['filter'], minutes = 5): TraceSpec => ({ id, filter, expiresAt: Date.now() + minutes * 60_000 });
const packets = (events: TapEvent[]) => events.filter((e): e is TracePacketEvent => e.type === 'packet');

describe('the tap', () => {
  it('leaves the request path alone while no trace is active', async () => {
    const events: TapEvent[] = [];
    const { tap, ports } = await tappedServer(events);
    expect(server?.path.trace).toBeNull();
    expect(await exchange(ports.auth, accessRequest('alice', 'pw'))).not.toBeNull();
    expect(events).toEqual([]);
    tap.set([spec(1, { username: 'alice' })]);
    expect(server?.path.trace).toBe(tap);
    tap.set([]);
    expect(server?.path.trace).toBeNull();
  });

  it('shows the request and the reply of a traced user, and nothing of another', async () => {
    const events: TapEvent[] = [];
    const { tap, ports } = await tappedServer(events);
    tap.set([spec(11, { username: 'alice' })]);
    expect(await exchange(ports.auth, accessRequest('bob', 'pw', 1))).not.toBeNull();
    expect(await exchange(ports.auth, accessRequest('alice', 'pw', 2))).not.toBeNull();
    const seen = packets(events);
    expect(seen.map((e) => [e.direction, e.code, e.identifier])).toEqual([
      ['in', 'Access-Request', 2],
      ['out', 'Access-Accept', 2],
    ]);
    const [request, reply] = seen as [TracePacketEvent, TracePacketEvent];
    expect(request).toMatchObject({ trace: 11, nas: 'bras-1', seenBy: 'unit' });
    expect(request.client).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(attr(request, 'User-Password')?.value).toBe('[hidden 16 bytes]');
    expect(attr(reply, 'Reply-Message')?.value).toBe('hello 2');
    expect(attr(reply, 'Message-Authenticator')?.value).toBe('[hidden 16 bytes]');
  });

  it('follows a NAS by name or by address, accounting and drops included', async () => {
    const events: TapEvent[] = [];
    const { tap, ports } = await tappedServer(events);
    tap.set([spec(21, { nas: 'bras-1' }), spec(22, { address: '::ffff:127.0.0.1' })]);
    const acct = encodeRequest(Code.AccountingRequest, 5, encodeAttributes(dict, [{ name: 'User-Name', value: 'carol' }, { name: 'Acct-Status-Type', value: 'Start' }]), SECRET, { messageAuthenticator: false });
    expect(await exchange(ports.acct, acct)).not.toBeNull();
    // Signed with another secret: dropped, and shown with the reason.
    const forged = encodeRequest(Code.AccountingRequest, 6, encodeAttributes(dict, [{ name: 'User-Name', value: 'carol' }, { name: 'Acct-Status-Type', value: 'Start' }]), Buffer.from('not-the-secret'), { messageAuthenticator: false });
    expect(await exchange(ports.acct, forged, { timeoutMs: 200 })).toBeNull();
    const byTrace = (id: number) => packets(events).filter((e) => e.trace === id).map((e) => [e.direction, e.code, e.identifier, e.dropped]);
    const expected = [
      ['in', 'Accounting-Request', 5, undefined],
      ['out', 'Accounting-Response', 5, undefined],
      ['in', 'Accounting-Request', 6, 'bad_authenticator'],
    ];
    expect(byTrace(21)).toEqual(expected);
    expect(byTrace(22)).toEqual(expected);
    expect(attr(packets(events)[0] as TracePacketEvent, 'Acct-Status-Type')?.value).toBe('Start');
  });

  it('shows a retransmission answered from the reply cache as replayed', async () => {
    const events: TapEvent[] = [];
    const { tap, ports } = await tappedServer(events, { replyCacheSeconds: 5 });
    tap.set([spec(31, { username: 'alice' })]);
    const request = accessRequest('alice', 'pw', 3);
    // The same datagram twice from one socket: the second is a retransmission.
    expect((await burst(ports.auth, [request, request], 300)).length).toBe(2);
    expect(packets(events).map((e) => [e.direction, e.identifier, e.replayed])).toEqual([
      ['in', 3, undefined],
      ['out', 3, undefined],
      ['in', 3, undefined],
      ['out', 3, true],
    ]);
  });

  it('bounds each trace to its events per second and reports what it left out', async () => {
    const events: TapEvent[] = [];
    const { tap, ports } = await tappedServer(events, { perSecond: 2 });
    tap.set([spec(41, { username: 'alice' })]);
    for (let i = 0; i < 3; i++) await exchange(ports.auth, accessRequest('alice', 'pw', 10 + i));
    expect(packets(events).length).toBe(2);
    await new Promise((r) => setTimeout(r, 1100));
    expect(events.filter((e) => e.type === 'dropped')).toEqual([{ type: 'dropped', trace: 41, dropped: 4 }]);
  });

  it('stops matching a trace at its expiry', () => {
    const events: TapEvent[] = [];
    let now = 1_000_000;
    const tap = new TraceTap(dict, (e) => events.push(e), { now: () => now });
    tap.set([{ id: 1, filter: { username: 'a' }, expiresAt: now + 1000 }, { id: 2, filter: { username: 'b' }, expiresAt: now + 5000 }]);
    now += 2000;
    tap.set(tap.specs());
    expect(tap.specs().map((s) => s.id)).toEqual([2]);
    tap.stop();
  });
});

const alice = traceOwnerOf({ operatorId: 1, login: 'alice' });
const bob = traceOwnerOf({ operatorId: 2, login: 'bob' });

function packetEvent(trace: number, identifier = 1): TracePacketEvent {
  return { type: 'packet', trace, at: new Date().toISOString(), direction: 'in', nas: 'bras-1', client: '127.0.0.1:1', code: 'Access-Request', identifier, length: 20, attributes: [] };
}

async function take(sub: { next(): Promise<TraceStreamEvent | null> }, n: number): Promise<(TraceStreamEvent | null)[]> {
  const out: (TraceStreamEvent | null)[] = [];
  for (let i = 0; i < n; i++) out.push(await sub.next());
  return out;
}

describe('the hub', () => {
  const hubs: TraceHub[] = [];
  afterEach(() => {
    for (const h of hubs.splice(0)) h.close();
  });
  function hub(over: Partial<ConstructorParameters<typeof TraceHub>[0]> = {}) {
    const specs: TraceSpec[][] = [];
    let next = 100;
    const h = new TraceHub({ instance: 'here', onSpecs: (s) => specs.push([...s]), newId: () => next++, ...over });
    hubs.push(h);
    return { h, specs };
  }

  it('bounds traces per operator and in all, clamps the minutes, and tells the taps', () => {
    const { h, specs } = hub();
    const first = h.start({ username: 'u1' }, 99, alice);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(Date.parse(first.trace.expiresAt) - Date.parse(first.trace.createdAt)).toBe(TRACE_LIMITS.maxMinutes * 60_000);
    expect(h.start({ nas: 'bras-1' }, 5, alice).ok).toBe(true);
    expect(h.start({ username: 'u3' }, 5, alice)).toEqual({ ok: false, reason: 'operator-limit', limit: TRACE_LIMITS.perOperator });
    for (let i = 0; i < TRACE_LIMITS.total - 2; i++) expect(h.start({ username: `x${i}` }, 1, traceOwnerOf({ operatorId: 10 + i, login: `op${i}` })).ok).toBe(true);
    expect(h.start({ username: 'late' }, 5, bob)).toEqual({ ok: false, reason: 'total-limit', limit: TRACE_LIMITS.total });
    expect(specs.at(-1)?.length).toBe(TRACE_LIMITS.total);
    expect(h.stop(first.trace.id)).toBe(true);
    expect(h.stop(first.trace.id)).toBe(false);
    expect(specs.at(-1)?.length).toBe(TRACE_LIMITS.total - 1);
  });

  it('streams recent events first, then live ones, and ends the stream when the trace is deleted', async () => {
    const { h } = hub();
    const started = h.start({ username: 'u' }, 5, alice);
    if (!started.ok) throw new Error('not started');
    const id = started.trace.id;
    h.deliver(packetEvent(id, 1));
    const sub = h.subscribe(id, alice);
    if (!sub.ok) throw new Error('not subscribed');
    h.deliver(packetEvent(id, 2));
    h.deliver({ type: 'dropped', trace: id, dropped: 3 });
    h.stop(id);
    const got = await take(sub.subscription, 5);
    expect(got.map((e) => e && (e.type === 'packet' ? e.identifier : e.type === 'dropped' ? `dropped ${e.dropped}` : e.reason))).toEqual([1, 2, 'dropped 3', 'deleted', null]);
    expect(h.get(id)).toBeUndefined();
  });

  it('bounds event streams per operator; a closed one frees its place', () => {
    const { h } = hub();
    const started = h.start({ username: 'u' }, 5, alice);
    if (!started.ok) throw new Error('not started');
    const subs = Array.from({ length: TRACE_LIMITS.streamsPerOperator }, () => h.subscribe(started.trace.id, alice));
    expect(subs.every((s) => s.ok)).toBe(true);
    expect(h.subscribe(started.trace.id, alice)).toEqual({ ok: false, reason: 'stream-limit', limit: TRACE_LIMITS.streamsPerOperator });
    expect(h.subscribe(started.trace.id, bob).ok).toBe(true);
    const [first] = subs;
    if (first?.ok) first.subscription.close();
    expect(h.subscribe(started.trace.id, alice).ok).toBe(true);
    expect(h.subscribe(424242, alice)).toEqual({ ok: false, reason: 'not-found' });
  });

  it('bounds the events per second of a trace over every process, counting the rest', () => {
    let now = 5_000_000;
    const { h } = hub({ now: () => now, eventsPerSecond: 3 });
    const started = h.start({ username: 'u' }, 5, alice);
    if (!started.ok) throw new Error('not started');
    for (let i = 0; i < 5; i++) h.deliver(packetEvent(started.trace.id, i));
    expect(h.get(started.trace.id)).toMatchObject({ events: 3, dropped: 2 });
    now += 1000;
    h.deliver(packetEvent(started.trace.id, 9));
    expect(h.get(started.trace.id)).toMatchObject({ events: 4, dropped: 2 });
  });

  it("learns other instances' traces, counts them in the limits, and forwards their events", () => {
    const announced: TraceControlMessage[] = [];
    const forwarded: TapEvent[] = [];
    const { h, specs } = hub({ announce: (m) => announced.push(m), forward: (e) => forwarded.push(e) });
    h.open();
    expect(announced).toEqual([{ op: 'hello', instance: 'here' }]);
    const expiresAt = Date.now() + 60_000;
    h.controlMessage({ op: 'state', instance: 'there', traces: [{ id: 7, filter: { nas: 'bras-9' }, owner: 'alice', ownerKey: alice.key, createdAt: Date.now(), expiresAt }, { id: 8, filter: { username: 'z' }, owner: 'alice', ownerKey: alice.key, createdAt: Date.now(), expiresAt }] });
    expect(specs.at(-1)?.map((s) => s.id).sort()).toEqual([7, 8]);
    expect(h.list().map((t) => [t.id, t.local])).toEqual([
      [7, false],
      [8, false],
    ]);
    expect(h.start({ username: 'mine' }, 5, alice)).toMatchObject({ ok: false, reason: 'operator-limit' });
    h.deliver(packetEvent(7));
    expect(forwarded).toEqual([packetEvent(7)].map((e) => ({ ...e, at: (forwarded[0] as TracePacketEvent).at })));
    // Own announcements come back on the channel and are ignored; a hello is answered with the state.
    h.controlMessage({ op: 'state', instance: 'here', traces: [] });
    h.controlMessage({ op: 'hello', instance: 'new' });
    expect(announced.at(-1)).toEqual({ op: 'state', instance: 'here', traces: [] });
    // The other instance ended one: it goes here too.
    h.controlMessage({ op: 'state', instance: 'there', traces: [] });
    expect(h.list()).toEqual([]);
  });
  it('forgets the traces of an instance silent too long', () => {
    let now = 9_000_000;
    const { h, specs } = hub({ now: () => now });
    h.controlMessage({ op: 'state', instance: 'there', traces: [{ id: 7, filter: { nas: 'n' }, owner: 'alice', ownerKey: alice.key, createdAt: now, expiresAt: now + 600_000 }] });
    expect(h.list()).toHaveLength(1);
    now += REMOTE_SILENCE_MS + 1;
    expect(h.list()).toEqual([]);
    expect(specs.at(-1)).toEqual([]);
  });

  it('leaves out, and then reports, the events of a stream that does not read', async () => {
    const { h } = hub({ eventsPerSecond: 1_000_000 });
    const started = h.start({ username: 'u' }, 5, alice);
    if (!started.ok) throw new Error('not started');
    const sub = h.subscribe(started.trace.id, alice);
    if (!sub.ok) throw new Error('not subscribed');
    for (let i = 0; i < TRACE_LIMITS.streamQueue + 5; i++) h.deliver(packetEvent(started.trace.id, i % 256));
    h.stop(started.trace.id);
    const got: TraceStreamEvent[] = [];
    for (let e = await sub.subscription.next(); e !== null; e = await sub.subscription.next()) got.push(e);
    expect(got.filter((e) => e.type === 'packet')).toHaveLength(TRACE_LIMITS.streamQueue);
    expect(got.filter((e) => e.type === 'dropped')).toEqual([{ type: 'dropped', trace: started.trace.id, dropped: 5 }]);
    expect(got.at(-1)).toEqual({ type: 'end', trace: started.trace.id, reason: 'deleted' });
  });
});

describe('the SSE frames', () => {
  it('opens with a comment, sends each event as one data line, beats, and ends after the end event', async () => {
    const h = new TraceHub({ instance: 'x', onSpecs: () => undefined, newId: () => 5 });
    const started = h.start({ username: 'u' }, 5, alice);
    if (!started.ok) throw new Error('not started');
    const sub = h.subscribe(5, alice);
    if (!sub.ok) throw new Error('not subscribed');
    const frames = sseFrames(sub.subscription, 5, 50);
    expect((await frames.next()).value).toBe(': trace 5\n\n');
    expect((await frames.next()).value).toBe(': heartbeat\n\n');
    h.deliver(packetEvent(5, 77));
    const data = (await frames.next()).value as string;
    expect(data).toMatch(/^data: \{.*\}\n\n$/);
    expect(JSON.parse(data.slice(6))).toMatchObject({ type: 'packet', identifier: 77 });
    h.stop(5);
    expect(JSON.parse(((await frames.next()).value as string).slice(6))).toEqual({ type: 'end', trace: 5, reason: 'deleted' });
    expect((await frames.next()).done).toBe(true);
    h.close();
  });
});
