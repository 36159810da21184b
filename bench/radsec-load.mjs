#!/usr/bin/env node
// RadSec (RFC 6614) load client: Access-Requests (or accounting sessions) over a few mutual-TLS connections with
// many requests in flight on each, closed loop like radload (docs/benchmarks.md), loopback targets only.
//
//   node bench/radsec-load.mjs -s 127.0.0.1:2083 --ca ca.pem --cert nas.pem --key nas.key -u users.txt \
//        -w 64 -k 2 -d 14 -W 2 [-m auth|acct] [-S radsec] [-t 3000] [-v]
//
// Plain Node ESM, node: built-ins only. It shares the cores with the daemon it measures, so the per-request work is
// kept small: packets are built from per-user templates and only the ID, Request Authenticator, hidden password
// and Message-Authenticator are patched per send; MD5 runs in JavaScript from precomputed HMAC key states (a
// node:crypto call per digest costs several times the digest itself at these sizes); the packets of one
// connection that become ready together go out in one write (one TLS record, one syscall); latencies go into a
// fixed histogram.
import { readFileSync, realpathSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------- MD5 (RFC 1321) and HMAC-MD5 (RFC 2104)

const MD5_K = new Int32Array(64);
for (let i = 0; i < 64; i++) MD5_K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0;
const MD5_S = Uint8Array.from([7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21]);
const MD5_INIT = Int32Array.from([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476]);
const words = new Int32Array(16);
const state = new Int32Array(4);
const tail = Buffer.alloc(128);

/** One 64-octet block of `b` at `o` into `st`. */
function md5Block(st, b, o) {
  for (let i = 0; i < 16; i++, o += 4) words[i] = b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
  let a = st[0], x = st[1], c = st[2], d = st[3], t = 0, s = 0;
  // One loop per round (F, G, H, I of RFC 1321 §3.4): no branch per step.
  for (let i = 0; i < 16; i++) {
    t = (a + ((x & c) | (~x & d)) + MD5_K[i] + words[i]) | 0;
    s = MD5_S[i & 3];
    a = d; d = c; c = x;
    x = (x + ((t << s) | (t >>> (32 - s)))) | 0;
  }
  for (let i = 16; i < 32; i++) {
    t = (a + ((d & x) | (~d & c)) + MD5_K[i] + words[(5 * i + 1) & 15]) | 0;
    s = MD5_S[4 | (i & 3)];
    a = d; d = c; c = x;
    x = (x + ((t << s) | (t >>> (32 - s)))) | 0;
  }
  for (let i = 32; i < 48; i++) {
    t = (a + (x ^ c ^ d) + MD5_K[i] + words[(3 * i + 5) & 15]) | 0;
    s = MD5_S[8 | (i & 3)];
    a = d; d = c; c = x;
    x = (x + ((t << s) | (t >>> (32 - s)))) | 0;
  }
  for (let i = 48; i < 64; i++) {
    t = (a + (c ^ (x | ~d)) + MD5_K[i] + words[(7 * i) & 15]) | 0;
    s = MD5_S[12 | (i & 3)];
    a = d; d = c; c = x;
    x = (x + ((t << s) | (t >>> (32 - s)))) | 0;
  }
  st[0] = (st[0] + a) | 0; st[1] = (st[1] + x) | 0; st[2] = (st[2] + c) | 0; st[3] = (st[3] + d) | 0;
}

/**
 * MD5 of (what `from` has absorbed: `prefixLen` octets, a multiple of 64) + data[off, off+len), written to
 * out[outOff, outOff+16). `from` is MD5_INIT or a state made by md5Absorb.
 */
export function md5Into(from, prefixLen, data, off, len, out, outOff) {
  state.set(from);
  const full = len & ~63;
  for (let i = 0; i < full; i += 64) md5Block(state, data, off + i);
  const rem = len - full;
  for (let i = 0; i < rem; i++) tail[i] = data[off + full + i];
  tail[rem] = 0x80;
  const n = rem < 56 ? 64 : 128;
  tail.fill(0, rem + 1, n - 8);
  const bits = (prefixLen + len) * 8;
  tail.writeUInt32LE(bits >>> 0, n - 8);
  tail.writeUInt32LE(Math.floor(bits / 2 ** 32), n - 4);
  md5Block(state, tail, 0);
  if (n === 128) md5Block(state, tail, 64);
  for (let i = 0; i < 4; i++) out.writeInt32LE(state[i], outOff + 4 * i);
}

export function md5(data) {
  const out = Buffer.alloc(16);
  md5Into(MD5_INIT, 0, data, 0, data.length, out, 0);
  return out;
}

/** The HMAC-MD5 key states after the ipad and opad blocks: each MAC then costs the message's blocks + 1. */
export function hmacKey(key) {
  const k = Buffer.alloc(64);
  (key.length > 64 ? md5(key) : key).copy(k);
  const inner = Int32Array.from(MD5_INIT);
  const outer = Int32Array.from(MD5_INIT);
  md5Block(inner, k.map((v) => v ^ 0x36), 0);
  md5Block(outer, k.map((v) => v ^ 0x5c), 0);
  return { inner, outer, digest: Buffer.alloc(16) };
}

export function hmacInto(hk, data, off, len, out, outOff) {
  md5Into(hk.inner, 64, data, off, len, hk.digest, 0);
  md5Into(hk.outer, 64, hk.digest, 0, 16, out, outOff);
}

// ---------------------------------------------------------------- stream framing (RFC 6613 §2.1)

/**
 * Splits a byte stream into RADIUS packets by their Length field: one chunk may hold several packets and a packet
 * may span chunks. `onPacket(buf, off, len)` gets a view that is valid only during the call. A Length below 20 or
 * above 4096 means the stream lost its framing: `onBadLength(len)` and nothing more is delivered.
 */
export class StreamFramer {
  constructor(onPacket, onBadLength) {
    this.onPacket = onPacket;
    this.onBadLength = onBadLength;
    this.pending = null;
    this.broken = false;
  }

  push(chunk) {
    if (this.broken) return;
    let buf = chunk;
    if (this.pending) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let off = 0;
    while (buf.length - off >= 4) {
      const len = (buf[off + 2] << 8) | buf[off + 3];
      if (len < 20 || len > 4096) {
        this.broken = true;
        this.onBadLength(len);
        return;
      }
      if (buf.length - off < len) break;
      this.onPacket(buf, off, len);
      off += len;
    }
    // A copy: the rest of a large chunk is not kept alive for a few octets.
    if (off < buf.length) this.pending = Buffer.from(buf.subarray(off));
  }
}

// ---------------------------------------------------------------- latency histogram (10 µs buckets)

export class Histogram {
  constructor(maxMs) {
    this.counts = new Uint32Array(Math.ceil(maxMs * 100) + 1);
    this.n = 0;
    this.sum = 0;
    this.max = 0;
  }

  add(ms) {
    const i = Math.min(this.counts.length - 1, Math.max(0, Math.round(ms * 100)));
    this.counts[i]++;
    this.n++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  /** The latency (ms) below which a fraction q of the samples lie. */
  quantile(q) {
    if (this.n === 0) return 0;
    const target = Math.min(this.n - 1, Math.floor(q * this.n));
    let acc = 0;
    for (let i = 0; i < this.counts.length; i++) {
      acc += this.counts[i];
      if (acc > target) return i / 100;
    }
    return (this.counts.length - 1) / 100;
  }
}

// ---------------------------------------------------------------- packets

const ACCESS_REQUEST = 1, ACCESS_ACCEPT = 2, ACCESS_REJECT = 3, ACCOUNTING_REQUEST = 4, ACCOUNTING_RESPONSE = 5;
const A = {
  userName: 1, userPassword: 2, nasIp: 4, nasPort: 5, serviceType: 6, framedProtocol: 7, framedIp: 8,
  calledStationId: 30, callingStationId: 31, nasIdentifier: 32, acctStatusType: 40, acctDelayTime: 41,
  acctInputOctets: 42, acctOutputOctets: 43, acctSessionId: 44, acctAuthentic: 45, acctSessionTime: 46,
  acctInputPackets: 47, acctOutputPackets: 48, acctTerminateCause: 49, acctInputGigawords: 52,
  acctOutputGigawords: 53, eventTimestamp: 55, nasPortType: 61, messageAuthenticator: 80,
};
const MAX_PACKET = 4096;
/** Where the Message-Authenticator's value sits: it is the first attribute of every Access-Request we send. */
const MA_VALUE = 22;
const NAS_ID = Buffer.from('radsec-load');
const CALLED = Buffer.from('00-11-22-33-44-55:radsec-load');

function putAttr(b, p, type, value) {
  b[p] = type;
  b[p + 1] = value.length + 2;
  value.copy(b, p + 2);
  return p + 2 + value.length;
}

function putU32(b, p, type, v) {
  b[p] = type;
  b[p + 1] = 6;
  b.writeUInt32BE(v >>> 0, p + 2);
  return p + 6;
}

const mac = (i) => `02-00-${[24, 16, 8, 0].map((s) => ((i >>> s) & 255).toString(16).toUpperCase().padStart(2, '0')).join('-')}`;

/** The users of a users file (`name password` per line, as radload reads it) or user000001/pw000001 … `count`. */
export function loadUsers(file, count) {
  if (!file) return Array.from({ length: count }, (_, i) => [`user${String(i + 1).padStart(6, '0')}`, `pw${String(i + 1).padStart(6, '0')}`]);
  const users = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const [name, pw = 'password'] = t.split(/[\s:,]+/, 2);
    if (name && name.length <= 64 && pw.length <= 128) users.push([name, pw]);
  }
  if (users.length === 0) throw new Error(`no users in ${file}`);
  return users;
}

/**
 * Per-user Access-Request templates in one buffer: Message-Authenticator (zero), User-Name, User-Password (the
 * clear password padded to 16-octet blocks; hidden per send), NAS-IP-Address, NAS-Port, Called-/Calling-Station-Id,
 * Framed-Protocol, Service-Type, NAS-Identifier. Accounting templates: the per-user attributes of every packet.
 */
function buildTemplates(users, acct) {
  const pool = Buffer.alloc(users.length * 400);
  const start = new Uint32Array(users.length), len = new Uint16Array(users.length);
  const pwOff = new Uint16Array(users.length), pwLen = new Uint8Array(users.length);
  const nasIp = Buffer.from([127, 0, 0, 1]);
  let p = 0;
  users.forEach(([name, pw], i) => {
    start[i] = p;
    const s = p;
    p += 20;
    if (!acct) {
      pool[s] = ACCESS_REQUEST;
      p = putAttr(pool, p, A.messageAuthenticator, Buffer.alloc(16));
      p = putAttr(pool, p, A.userName, Buffer.from(name));
      const clear = Buffer.from(pw);
      const padded = Math.max(16, (clear.length + 15) & ~15);
      const v = Buffer.alloc(padded);
      clear.copy(v);
      pwOff[i] = p + 2 - s;
      pwLen[i] = padded;
      p = putAttr(pool, p, A.userPassword, v);
      p = putAttr(pool, p, A.nasIp, nasIp);
      p = putU32(pool, p, A.nasPort, i & 0xffff);
      p = putAttr(pool, p, A.calledStationId, CALLED);
      p = putAttr(pool, p, A.callingStationId, Buffer.from(mac(i)));
      p = putU32(pool, p, A.framedProtocol, 1); // PPP
      p = putU32(pool, p, A.serviceType, 2); // Framed-User
      p = putAttr(pool, p, A.nasIdentifier, NAS_ID);
      pool.writeUInt16BE(p - s, s + 2);
    } else {
      pool[s] = ACCOUNTING_REQUEST;
      p = putAttr(pool, p, A.userName, Buffer.from(name));
      p = putAttr(pool, p, A.nasIp, nasIp);
      p = putAttr(pool, p, A.nasIdentifier, NAS_ID);
      p = putU32(pool, p, A.nasPortType, 15); // Ethernet
      p = putAttr(pool, p, A.calledStationId, CALLED);
      p = putAttr(pool, p, A.callingStationId, Buffer.from(mac(i)));
      p = putU32(pool, p, A.framedProtocol, 1);
      p = putU32(pool, p, A.serviceType, 2);
      p = putU32(pool, p, A.acctAuthentic, 1); // RADIUS
    }
    len[i] = p - s;
  });
  return { pool, start, len, pwOff, pwLen };
}

function isLoopback(host) {
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host ?? '');
  return m !== null && m.slice(1).every((x) => Number(x) <= 255);
}

const pem = (v) => (v === undefined ? undefined : Buffer.isBuffer(v) ? v : readFileSync(v));

// xorshift128: Request Authenticators need to be fresh (duplicate detection keys on them), not secret.
const rng = Int32Array.from([Date.now() | 0, (Math.random() * 2 ** 31) | 0, 0x9e3779b9 | 0, (Math.random() * 2 ** 31) | 1]);
function rand32() {
  let t = rng[3];
  const s = rng[0];
  rng[3] = rng[2]; rng[2] = rng[1]; rng[1] = s;
  t ^= t << 11; t ^= t >>> 8;
  rng[0] = t ^ s ^ (s >>> 19);
  return rng[0];
}

// ---------------------------------------------------------------- the run

/**
 * Runs the load and resolves with its statistics. Options: host, port, ca/cert/key (PEM buffers or file
 * paths), servername, secret ('radsec'), mode ('auth' | 'acct'), users ([name, password][]), window, connections,
 * duration and warmup (s), timeoutMs, interims (acct), total (requests), verbose, log (progress lines).
 */
export async function run(o) {
  const secret = Buffer.from(o.secret ?? 'radsec');
  const acct = o.mode === 'acct';
  const window = o.window ?? 64, conns = o.connections ?? 2, timeoutMs = o.timeoutMs ?? 3000;
  const interims = o.interims ?? 2, total = o.total ?? Number.MAX_SAFE_INTEGER;
  const log = o.log ?? ((line) => process.stderr.write(`${line}\n`));
  if (!isLoopback(o.host)) throw new Error(`refusing ${o.host}: only 127.0.0.0/8 literals are allowed`);
  if (window < 1 || conns < 1 || window > 256 * conns) throw new Error(`window ${window} needs 1..256 per connection (${conns} connections)`);
  const users = o.users;
  const tpl = buildTemplates(users, acct);
  // The longest packet a send can make: the longest template plus (acct) the per-packet attributes.
  const maxPacket = tpl.len.reduce((m, x) => Math.max(m, x), 0) + (acct ? 128 : 0);
  const hk = hmacKey(secret);
  // MD5(secret + Request Authenticator) and MD5(secret + previous block) for the password hiding (RFC 2865 §5.2).
  const hideIn = Buffer.alloc(secret.length + 16);
  secret.copy(hideIn);
  const hideOut = Buffer.alloc(16);
  const scratch = Buffer.alloc(MAX_PACKET + secret.length);
  const mac16 = Buffer.alloc(16);
  const hist = new Histogram(timeoutMs);
  const st = { sent: 0, sentWarm: 0, ok: 0, rejects: 0, timeouts: 0, bad: 0, other: 0, late: 0, sessions: 0, sessionsDone: 0, stopsAcked: 0, rx: 0 };
  const runId = (rand32() >>> 0).toString(16).toUpperCase().padStart(8, '0');
  let userRr = 0, sessionSeq = 0, inflight = 0, planned = 0, finished = false;

  const connections = [];
  try {
    for (let k = 0; k < conns; k++) connections.push(await connect(k));
  } catch (err) {
    finished = true;
    for (const c of connections) c.socket.destroy();
    throw err;
  }

  // Agents: each has one request in flight at a time (closed loop); agent a always uses connection a % conns.
  const agents = Array.from({ length: window }, (_, a) => ({
    index: a, conn: connections[a % conns], user: 0,
    active: false, step: 0, sid: Buffer.alloc(16), ip: 0, nasPort: 0, tStart: 0,
  }));
  const t0 = performance.now();
  const measStart = t0 + (o.warmup ?? 0) * 1000;
  const endSend = t0 + (o.duration ?? 10) * 1000;
  let stopNew = false, hardEnd = Infinity, lastReply = 0;

  function connect(index) {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({
        host: o.host, port: o.port, ca: pem(o.ca), cert: pem(o.cert), key: pem(o.key), minVersion: 'TLSv1.2',
        ...(o.servername ? { servername: o.servername } : {}),
      });
      const c = {
        index, socket, dead: false, queue: [],
        slots: Array.from({ length: 256 }, () => ({ agent: -1, ra: Buffer.alloc(16), lastRa: Buffer.alloc(16), hasLast: false, code: 0, tSend: 0, measured: false })),
        free: Uint8Array.from({ length: 256 }, (_, i) => i), head: 0, tail: 0, nfree: 256,
      };
      c.framer = new StreamFramer(
        (buf, off, len) => onReply(c, buf, off, len),
        (len) => {
          st.bad++;
          log(`connection ${index}: Length ${len} in the stream, framing lost: closing it`);
          c.dead = true;
          socket.destroy();
        },
      );
      socket.setNoDelay(true);
      socket.once('secureConnect', () => resolve(c));
      socket.on('error', (err) => {
        if (!c.dead && connections.includes(c)) log(`connection ${index}: ${err.message}`);
        reject(err);
      });
      socket.on('data', (chunk) => {
        c.framer.push(chunk);
        flush(c);
      });
      socket.on('close', () => {
        if (!c.dead && connections.includes(c) && !finished) log(`connection ${index} closed by the peer`);
        c.dead = true;
      });
    });
  }

  /** Whether agent g has a next request; moves its session along (acct). */
  function agentNext(g) {
    if (!acct) {
      if (stopNew || planned >= total) return false;
      planned++;
      g.user = userRr++ % users.length;
      return true;
    }
    if (g.active) {
      if (g.step < interims + 1) {
        g.step++;
        return true;
      }
      g.active = false;
      st.sessionsDone++;
    }
    if (stopNew || (st.sessions + 1) * (interims + 2) > total) return false;
    g.active = true;
    g.step = 0;
    g.user = userRr++ % users.length;
    const seq = sessionSeq++;
    g.sid.write(runId + (seq >>> 0).toString(16).toUpperCase().padStart(8, '0'), 'latin1');
    g.ip = (0x64400000 | (seq & 0x3fffff)) >>> 0; // 100.64.0.0/10
    g.nasPort = seq & 0xffffff;
    g.tStart = Math.floor(Date.now() / 1000);
    st.sessions++;
    return true;
  }

  /** Writes agent g's next packet with `id` into b at p; returns its length. */
  function build(g, id, b, p, slot) {
    const u = g.user, s = tpl.start[u], n = tpl.len[u];
    tpl.pool.copy(b, p, s, s + n);
    b[p + 1] = id;
    if (!acct) {
      for (let i = 0; i < 16; i += 4) b.writeInt32LE(rand32(), p + 4 + i);
      b.copy(slot.ra, 0, p + 4, p + 20);
      // RFC 2865 §5.2: c(1) = p(1) xor MD5(S + RA), c(i) = p(i) xor MD5(S + c(i-1)).
      const pw = p + tpl.pwOff[u], end = pw + tpl.pwLen[u];
      b.copy(hideIn, secret.length, p + 4, p + 20);
      for (let q = pw; q < end; q += 16) {
        md5Into(MD5_INIT, 0, hideIn, 0, hideIn.length, hideOut, 0);
        for (let j = 0; j < 16; j++) b[q + j] ^= hideOut[j];
        b.copy(hideIn, secret.length, q, q + 16);
      }
      hmacInto(hk, b, p, n, b, p + MA_VALUE); // RFC 3579 §3.2, over the packet with the MA zeroed (as templated)
      return n;
    }
    const status = g.step === 0 ? 1 : g.step === interims + 1 ? 2 : 3;
    let q = p + n;
    q = putU32(b, q, A.acctStatusType, status);
    q = putAttr(b, q, A.acctSessionId, g.sid);
    q = putU32(b, q, A.nasPort, g.nasPort);
    q = putU32(b, q, A.framedIp, g.ip);
    q = putU32(b, q, A.eventTimestamp, g.tStart + g.step * 60);
    q = putU32(b, q, A.acctDelayTime, 0);
    if (status !== 1) {
      const input = g.step * 3e9 + (u & 0xffff), output = g.step * 7e8 + 12345;
      q = putU32(b, q, A.acctSessionTime, g.step * 60);
      q = putU32(b, q, A.acctInputOctets, input % 2 ** 32);
      q = putU32(b, q, A.acctOutputOctets, output % 2 ** 32);
      q = putU32(b, q, A.acctInputGigawords, Math.floor(input / 2 ** 32));
      q = putU32(b, q, A.acctOutputGigawords, Math.floor(output / 2 ** 32));
      q = putU32(b, q, A.acctInputPackets, g.step * 2000000);
      q = putU32(b, q, A.acctOutputPackets, g.step * 900000);
      if (status === 2) q = putU32(b, q, A.acctTerminateCause, 1); // User-Request
    }
    const len = q - p;
    b.writeUInt16BE(len, p + 2);
    // RFC 2866 §3: Request Authenticator = MD5(packet with zero authenticator + secret); the secret goes right
    // after the packet for the digest and is overwritten by the next one.
    b.fill(0, p + 4, p + 20);
    secret.copy(b, q);
    md5Into(MD5_INIT, 0, b, p, len + secret.length, b, p + 4);
    b.copy(slot.ra, 0, p + 4, p + 20);
    return len;
  }

  /** Sends what the ready agents of connection c have, as one write. */
  function flush(c) {
    if (c.queue.length === 0 || c.dead) return;
    const now = performance.now();
    const out = Buffer.allocUnsafe(c.queue.length * maxPacket + secret.length);
    let p = 0;
    for (const g of c.queue) {
      const id = c.free[c.head];
      c.head = (c.head + 1) & 255;
      c.nfree--;
      const slot = c.slots[id];
      p += build(g, id, out, p, slot);
      slot.agent = g.index;
      slot.code = acct ? ACCOUNTING_REQUEST : ACCESS_REQUEST;
      slot.tSend = now;
      slot.measured = now >= measStart;
      inflight++;
      st.sent++;
      if (!slot.measured) st.sentWarm++;
    }
    c.queue.length = 0;
    c.socket.write(out.subarray(0, p));
  }

  /** Whether the reply in buf at off matches Request Authenticator ra (and its Message-Authenticator, if any). */
  function verify(buf, off, len, ra) {
    buf.copy(scratch, 0, off, off + len);
    ra.copy(scratch, 4);
    secret.copy(scratch, len);
    md5Into(MD5_INIT, 0, scratch, 0, len + secret.length, mac16, 0);
    if (mac16.compare(buf, off + 4, off + 20) !== 0) return false;
    for (let a = 20; a < len; ) {
      if (a + 2 > len) return false;
      const al = scratch[a + 1];
      if (al < 2 || a + al > len) return false;
      if (scratch[a] === A.messageAuthenticator) {
        if (al !== 18) return false;
        scratch.fill(0, a + 2, a + 18);
        hmacInto(hk, scratch, 0, len, mac16, 0);
        if (mac16.compare(buf, off + a + 2, off + a + 18) !== 0) return false;
      }
      a += al;
    }
    return true;
  }

  function release(c, id, timedOut) {
    const slot = c.slots[id];
    const g = agents[slot.agent];
    slot.agent = -1;
    if (timedOut) {
      slot.ra.copy(slot.lastRa);
      slot.hasLast = true;
    }
    c.free[c.tail] = id;
    c.tail = (c.tail + 1) & 255;
    c.nfree++;
    inflight--;
    if (!c.dead && agentNext(g)) c.queue.push(g);
  }

  function onReply(c, buf, off, len) {
    const now = performance.now();
    const slot = c.slots[buf[off + 1]];
    if (slot.agent < 0 || !verify(buf, off, len, slot.ra)) {
      if (slot.hasLast && verify(buf, off, len, slot.lastRa)) {
        st.late++;
        slot.hasLast = false;
      } else if (slot.agent < 0 || slot.measured) st.bad++;
      return; // a wrong reply: keep waiting for the right one
    }
    const code = buf[off];
    st.rx++;
    if (slot.measured) {
      if (slot.code === ACCESS_REQUEST && code === ACCESS_ACCEPT) st.ok++;
      else if (slot.code === ACCESS_REQUEST && code === ACCESS_REJECT) st.rejects++;
      else if (slot.code === ACCOUNTING_REQUEST && code === ACCOUNTING_RESPONSE) st.ok++;
      else st.other++;
      hist.add(now - slot.tSend);
      lastReply = now;
    }
    if (acct && code === ACCOUNTING_RESPONSE && agents[slot.agent].step === interims + 1) st.stopsAcked++;
    release(c, buf[off + 1], false);
  }

  for (const g of agents) if (agentNext(g)) g.conn.queue.push(g);
  for (const c of connections) flush(c);
  log(`radsec-load: mode=${acct ? 'acct' : 'auth'} server=${o.host}:${o.port} window=${window} connections=${conns} users=${users.length} duration=${o.duration ?? 10} timeout_ms=${timeoutMs}`);

  await new Promise((resolve) => {
    let lastProg = t0, progSent = 0, progRx = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      if (!stopNew && now >= endSend) {
        stopNew = true;
        // In-flight work may drain for (acct: a whole session of) timeouts plus a second.
        hardEnd = now + (acct ? interims + 2 : 1) * timeoutMs + 1000;
      }
      for (const c of connections) {
        for (let id = 0; id < 256; id++) {
          const slot = c.slots[id];
          if (slot.agent >= 0 && now - slot.tSend > timeoutMs) {
            if (slot.measured) st.timeouts++;
            release(c, id, true);
          }
        }
        flush(c);
      }
      if (o.verbose && now - lastProg >= 1000) {
        const dt = (now - lastProg) / 1000;
        log(`  t=${((now - t0) / 1000).toFixed(1).padStart(5)}s sent/s=${Math.round((st.sent - progSent) / dt)} replies/s=${Math.round((st.rx - progRx) / dt)} inflight=${inflight} timeouts=${st.timeouts}`);
        lastProg = now;
        progSent = st.sent;
        progRx = st.rx;
      }
      const idle = inflight === 0 && connections.every((c) => c.queue.length === 0);
      if ((stopNew && idle) || now > hardEnd || connections.every((c) => c.dead)) {
        clearInterval(tick);
        resolve();
      }
    }, 20);
  });
  finished = true;
  for (const c of connections) {
    for (const slot of c.slots) if (slot.agent >= 0 && slot.measured) st.timeouts++;
    c.socket.end();
  }
  const elapsed = Math.max(0.001, ((lastReply || performance.now()) - measStart) / 1000);
  return {
    mode: acct ? 'acct' : 'auth',
    rps: (st.ok + st.rejects) / elapsed,
    elapsed,
    p50: hist.quantile(0.5), p90: hist.quantile(0.9), p99: hist.quantile(0.99), p999: hist.quantile(0.999),
    max: hist.max, avg: hist.n ? hist.sum / hist.n : 0,
    sent: st.sent - st.sentWarm, sentWarm: st.sentWarm,
    ok: st.ok, rejects: st.rejects, timeouts: st.timeouts, bad: st.bad + st.other, late: st.late,
    sessions: st.sessions, sessionsDone: st.sessionsDone, stopsAcked: st.stopsAcked,
  };
}

/** The RESULT line, radload's fields plus transport=radsec. */
export function resultLine(r) {
  const f = (x) => x.toFixed(3);
  let line = `RESULT mode=${r.mode} transport=radsec rps=${Math.round(r.rps)} p50_ms=${f(r.p50)} p90_ms=${f(r.p90)} p99_ms=${f(r.p99)} max_ms=${f(r.max)} sent=${r.sent} ok=${r.ok} rejects=${r.rejects} timeouts=${r.timeouts} bad=${r.bad} late=${r.late}`;
  if (r.mode === 'acct') line += ` sessions=${r.sessions} stops_acked=${r.stopsAcked}`;
  return line;
}

// ---------------------------------------------------------------- trivial responder (the client's own ceiling)

/**
 * A RadSec server that answers every Access-Request with an empty Access-Accept and every Accounting-Request with
 * an Accounting-Response (valid Response Authenticators, one write per chunk read), as radload -L does for UDP:
 * what the client reaches against it is the most it can measure on this machine. Resolves with the server.
 */
export function respond(o) {
  if (!isLoopback(o.host)) throw new Error(`refusing ${o.host}: only 127.0.0.0/8 literals are allowed`);
  const secret = Buffer.from(o.secret ?? 'radsec');
  const scratch = Buffer.alloc(20 + secret.length);
  secret.copy(scratch, 20);
  const server = tls.createServer({ cert: pem(o.cert), key: pem(o.key), ca: pem(o.ca), requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' }, (socket) => {
    socket.setNoDelay(true);
    const replies = [];
    const framer = new StreamFramer(
      (buf, off) => {
        const code = buf[off] === ACCESS_REQUEST ? ACCESS_ACCEPT : buf[off] === ACCOUNTING_REQUEST ? ACCOUNTING_RESPONSE : 0;
        if (!code) return;
        const r = Buffer.allocUnsafe(20);
        scratch[0] = r[0] = code;
        scratch[1] = r[1] = buf[off + 1];
        scratch[2] = r[2] = 0;
        scratch[3] = r[3] = 20;
        buf.copy(scratch, 4, off + 4, off + 20);
        md5Into(MD5_INIT, 0, scratch, 0, scratch.length, r, 4);
        replies.push(r);
      },
      () => socket.destroy(),
    );
    socket.on('data', (chunk) => {
      framer.push(chunk);
      if (replies.length > 0) socket.write(Buffer.concat(replies));
      replies.length = 0;
    });
    socket.on('error', () => socket.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(server));
  });
}

// ---------------------------------------------------------------- command line

const USAGE = `usage: radsec-load.mjs -s 127.0.0.x:PORT --ca CA.pem --cert NAS.pem --key NAS.key [-m auth|acct]
         [-u users.txt | -U COUNT] [-S secret] [-w WINDOW] [-k CONNECTIONS] [-d SECONDS] [-W WARMUP_S]
         [-t TIMEOUT_MS] [-n TOTAL] [-i INTERIMS] [--servername NAME] [-v]
       radsec-load.mjs -L 127.0.0.x:PORT --ca CA.pem --cert SERVER.pem --key SERVER.key [-S secret]
         (trivial responder: Access-Accept / Accounting-Response to everything, until SIGTERM)
  -w requests in flight in all (default 64), spread over -k TLS connections (default 2), at most 256 each
  -u users file ('name password' per line); without it user000001/pw000001 ... -U (default 1000)
  -S the secret inside TLS (default radsec, RFC 6614 §2.3); -d seconds of sending (10), -W of them not measured (0)`;

export function parseArgs(argv) {
  const o = { mode: 'auth', window: 64, connections: 2, duration: 10, warmup: 0, timeoutMs: 3000, interims: 2, verbose: false };
  let usersFile, userCount = 1000;
  const num = (v, name) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name}: not a number: ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    switch (a) {
      case '-s':
      case '-L': {
        const m = /^(.+):(\d+)$/.exec(v());
        if (!m) throw new Error(`${a} wants HOST:PORT`);
        o.host = m[1];
        o.port = Number(m[2]);
        o.respond = a === '-L';
        break;
      }
      case '-S': o.secret = v(); break;
      case '-m': o.mode = v(); if (o.mode !== 'auth' && o.mode !== 'acct') throw new Error('-m auth|acct'); break;
      case '-u': usersFile = v(); break;
      case '-U': userCount = num(v(), '-U'); break;
      case '-n': o.total = num(v(), '-n'); break;
      case '-w': o.window = num(v(), '-w'); break;
      case '-k': o.connections = num(v(), '-k'); break;
      case '-d': o.duration = num(v(), '-d'); break;
      case '-W': o.warmup = num(v(), '-W'); break;
      case '-t': o.timeoutMs = Math.max(1, num(v(), '-t')); break;
      case '-i': o.interims = num(v(), '-i'); break;
      case '--ca': o.ca = v(); break;
      case '--cert': o.cert = v(); break;
      case '--key': o.key = v(); break;
      case '--servername': o.servername = v(); break;
      case '-v': o.verbose = true; break;
      case '-h': case '--help': throw new Error(USAGE);
      default: throw new Error(`unknown option ${a}\n${USAGE}`);
    }
  }
  if (!o.host) throw new Error(USAGE);
  if (!isLoopback(o.host)) throw new Error(`refusing ${o.host}: only 127.0.0.0/8 literals are allowed`);
  if (!o.respond) o.users = loadUsers(usersFile, userCount);
  return o;
}

function report(r) {
  const f = (x) => x.toFixed(3);
  console.log(`sent:      ${r.sent + r.sentWarm} (measured ${r.sent}, warm-up ${r.sentWarm})`);
  console.log(`ok:        ${r.ok} (${r.mode === 'acct' ? 'Accounting-Response' : 'Access-Accept'})`);
  console.log(`rejects:   ${r.rejects}`);
  console.log(`timeouts:  ${r.timeouts}   late replies: ${r.late}`);
  console.log(`bad:       ${r.bad}`);
  if (r.mode === 'acct') console.log(`sessions:  started ${r.sessions}, completed ${r.sessionsDone}, stops acked ${r.stopsAcked}`);
  console.log(`elapsed:   ${f(r.elapsed)} s`);
  console.log(`req/s:     ${Math.round(r.rps)}`);
  console.log(`latency:   avg=${f(r.avg)} p50=${f(r.p50)} p90=${f(r.p90)} p99=${f(r.p99)} p99.9=${f(r.p999)} max=${f(r.max)} ms`);
  console.log(resultLine(r));
}

const invoked = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invoked) {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(err.message);
    process.exit(2);
  }
  try {
    if (options.respond) {
      const server = await respond(options);
      console.error(`radsec-load: responding on ${options.host}:${options.port} (${server.address().port}) until SIGTERM`);
    } else report(await run(options));
  } catch (err) {
    console.error(`radsec-load: ${err.message}`);
    process.exit(1);
  }
}
