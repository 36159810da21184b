/**
 * A BRAS for the fault tests, written from the RFCs without the daemon's codec (black box: only the code and
 * attribute numbers are shared): Accounting-Requests that are retransmitted until acknowledged, and PAP
 * Access-Requests with a Message-Authenticator.
 *
 * Retransmission follows RFC 2866 §2 / RFC 5080 §2.2.1: the same datagram (same Identifier, same Request
 * Authenticator) every `resendMs` until it is answered; every `newIdAfterMs` without an answer a new
 * Identifier with Acct-Delay-Time raised to the seconds since the first transmission (a changed attribute
 * needs a new Identifier). An Accounting-Response to any Identifier the record was sent with acknowledges it.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { exchange } from '../helpers/udp-client.js';
import { Attr, Code } from '../../src/radius/codes.js';

// The protocol's numbers are shared with the daemon (they are RFC facts); the encoding below is not.
export { Code };
const A = Attr;

type Attribute = readonly [type: number, value: Buffer];

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const ipv4 = (ip: string): Buffer => Buffer.from(ip.split('.').map(Number));
const md5 = (...parts: Buffer[]): Buffer => createHash('md5').update(Buffer.concat(parts)).digest();

function encodeAttributes(attrs: readonly Attribute[]): Buffer {
  return Buffer.concat(
    attrs.map(([type, value]) => {
      if (value.length > 253) throw new RangeError(`attribute ${type} too long`);
      return Buffer.concat([Buffer.from([type, value.length + 2]), value]);
    }),
  );
}

function header(code: number, id: number, length: number, authenticator: Buffer): Buffer {
  const h = Buffer.alloc(20);
  h[0] = code;
  h[1] = id;
  h.writeUInt16BE(length, 2);
  authenticator.copy(h, 4);
  return h;
}

/** RFC 2866 §3: Request Authenticator = MD5(Code + Identifier + Length + 16 zero octets + Attributes + Secret). */
export function accountingRequest(id: number, attrs: readonly Attribute[], secret: Buffer): Buffer {
  const body = encodeAttributes(attrs);
  const length = 20 + body.length;
  const auth = md5(header(Code.AccountingRequest, id, length, Buffer.alloc(16)), body, secret);
  return Buffer.concat([header(Code.AccountingRequest, id, length, auth), body]);
}

/** RFC 2865 §5.2 password hiding. */
function hidePassword(password: Buffer, secret: Buffer, authenticator: Buffer): Buffer {
  const padded = Buffer.alloc(Math.max(16, Math.ceil(password.length / 16) * 16));
  password.copy(padded);
  const out = Buffer.alloc(padded.length);
  let previous = authenticator;
  for (let i = 0; i < padded.length; i += 16) {
    const key = md5(secret, previous);
    for (let j = 0; j < 16; j++) out[i + j] = (padded[i + j] as number) ^ (key[j] as number);
    previous = out.subarray(i, i + 16);
  }
  return out;
}

/** A PAP Access-Request with Message-Authenticator first (RFC 3579 §3.2, BlastRADIUS); returns packet and authenticator. */
export function papRequest(id: number, username: string, password: string, secret: Buffer): { packet: Buffer; authenticator: Buffer } {
  const authenticator = randomBytes(16);
  const body = encodeAttributes([
    [A.MessageAuthenticator, Buffer.alloc(16)],
    [A.UserName, Buffer.from(username)],
    [A.UserPassword, hidePassword(Buffer.from(password), secret, authenticator)],
    [A.NASIPAddress, ipv4('127.0.0.1')],
    [A.NASPort, u32(1)],
  ]);
  const packet = Buffer.concat([header(Code.AccessRequest, id, 20 + body.length, authenticator), body]);
  createHmac('md5', secret).update(packet).digest().copy(packet, 22); // the first attribute's value
  return { packet, authenticator };
}

/** RFC 2865 §3: Response Authenticator = MD5(Code + ID + Length + Request Authenticator + Attributes + Secret). */
export function verifyResponse(reply: Buffer, requestAuthenticator: Buffer, secret: Buffer): boolean {
  if (reply.length < 20 || reply.readUInt16BE(2) > reply.length) return false;
  const length = reply.readUInt16BE(2);
  const expected = md5(reply.subarray(0, 4), requestAuthenticator, reply.subarray(20, length), secret);
  return expected.equals(reply.subarray(4, 20));
}

export type AcctStatus = 'start' | 'interim' | 'stop';
const STATUS_TYPE: Record<AcctStatus, number> = { start: 1, stop: 2, interim: 3 };

export interface AcctRecord {
  readonly status: AcctStatus;
  readonly username: string;
  readonly sessionId: string;
  readonly framedIp: string;
  /** Acct-Session-Time (seconds); omitted on Start. */
  readonly sessionTime?: number;
  /** Total octets so far (split into the 32-bit counter and Gigawords). */
  readonly inputOctets?: bigint;
  readonly outputOctets?: bigint;
}

function recordAttributes(r: AcctRecord, delaySeconds: number): Attribute[] {
  const attrs: Attribute[] = [
    [A.UserName, Buffer.from(r.username)],
    [A.NASIPAddress, ipv4('127.0.0.1')],
    [A.NASPort, u32(7)],
    [A.AcctStatusType, u32(STATUS_TYPE[r.status])],
    [A.AcctSessionId, Buffer.from(r.sessionId)],
    [A.FramedIPAddress, ipv4(r.framedIp)],
    [A.AcctDelayTime, u32(delaySeconds)],
  ];
  if (r.sessionTime !== undefined) attrs.push([A.AcctSessionTime, u32(r.sessionTime)]);
  for (const [value, low, high] of [
    [r.inputOctets, A.AcctInputOctets, A.AcctInputGigawords],
    [r.outputOctets, A.AcctOutputOctets, A.AcctOutputGigawords],
  ] as const) {
    if (value === undefined) continue;
    attrs.push([low, u32(Number(value & 0xffffffffn))], [high, u32(Number(value >> 32n))]);
  }
  if (r.status === 'stop') attrs.push([A.AcctTerminateCause, u32(1)]); // User-Request
  return attrs;
}

export interface RetransmitOptions {
  /** Same datagram again after this long without an answer (default 500 ms). */
  readonly resendMs?: number;
  /** A new Identifier (and a larger Acct-Delay-Time) after this long without an answer (default 3000 ms). */
  readonly newIdAfterMs?: number;
  /** Give up (reject) after this long (default 60 s). */
  readonly giveUpMs?: number;
}

export interface BrasStats {
  /** Datagrams sent, first transmissions included. */
  sent: number;
  /** Retransmissions of the same datagram (same Identifier). */
  sameId: number;
  /** Retransmissions with a new Identifier and a larger Acct-Delay-Time. */
  newId: number;
  /** Records acknowledged. */
  acked: number;
  /** Replies that failed verification or matched nothing outstanding. */
  bad: number;
}

/**
 * One NAS connection (one UDP socket from 127.0.0.1), sending one accounting record at a time, as a BRAS's
 * per-session sequence is: the next record of a session goes out after the previous one is acknowledged.
 */
export class RetransmittingBras {
  readonly stats: BrasStats = { sent: 0, sameId: 0, newId: 0, acked: 0, bad: 0 };
  private nextId = Math.floor(Math.random() * 256);
  private readonly waiting = new Map<number, { authenticator: Buffer; onAck: () => void }>();
  private closed = false;

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly port: number,
    private readonly secret: Buffer,
  ) {
    socket.on('message', (msg) => {
      const w = msg.length >= 20 ? this.waiting.get(msg[1] as number) : undefined;
      if (!w || msg[0] !== Code.AccountingResponse || !verifyResponse(msg, w.authenticator, this.secret)) {
        this.stats.bad++;
        return;
      }
      w.onAck();
    });
  }

  static async open(port: number, secret: Buffer): Promise<RetransmittingBras> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: '127.0.0.1', port: 0 }, () => resolve());
    });
    return new RetransmittingBras(socket, port, secret);
  }

  /** Sends `record` until it is acknowledged; resolves with the time it took (ms). */
  async send(record: AcctRecord, options: RetransmitOptions = {}): Promise<number> {
    const resendMs = options.resendMs ?? 500;
    const newIdAfterMs = options.newIdAfterMs ?? 3000;
    const giveUpMs = options.giveUpMs ?? 60_000;
    const first = Date.now();
    const ids: number[] = [];
    let acked = false;
    let wake: () => void = () => undefined;
    const onAck = (): void => {
      acked = true;
      wake();
    };
    try {
      let packet: Buffer | null = null;
      let idSince = 0;
      for (;;) {
        if (this.closed) throw new Error('BRAS closed');
        const now = Date.now();
        if (now - first > giveUpMs) throw new Error(`no Accounting-Response for ${record.status} ${record.sessionId} after ${giveUpMs} ms`);
        if (packet === null || now - idSince >= newIdAfterMs) {
          if (packet !== null) this.stats.newId++;
          const id = this.allocateId();
          ids.push(id);
          packet = accountingRequest(id, recordAttributes(record, Math.floor((now - first) / 1000)), this.secret);
          this.waiting.set(id, { authenticator: packet.subarray(4, 20), onAck });
          idSince = now;
        } else {
          this.stats.sameId++;
        }
        this.stats.sent++;
        this.socket.send(packet, this.port, '127.0.0.1');
        await new Promise<void>((resolve) => {
          if (acked) return resolve();
          const timer = setTimeout(resolve, resendMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (acked) {
          this.stats.acked++;
          return Date.now() - first;
        }
      }
    } finally {
      for (const id of ids) this.waiting.delete(id);
    }
  }

  private allocateId(): number {
    for (let i = 0; i < 256; i++) {
      const id = (this.nextId + i) % 256;
      if (!this.waiting.has(id)) {
        this.nextId = (id + 1) % 256;
        return id;
      }
    }
    throw new Error('all 256 Identifiers outstanding');
  }

  close(): void {
    this.closed = true;
    this.socket.close();
  }
}

/** One PAP Access-Request; resolves with the reply code (Access-Accept 2, Access-Reject 3) or null on timeout. */
export async function authenticate(port: number, username: string, password: string, secret: Buffer, timeoutMs = 1500): Promise<number | null> {
  const id = Math.floor(Math.random() * 256);
  const { packet, authenticator } = papRequest(id, username, password, secret);
  const reply = await exchange(port, packet, { timeoutMs });
  return reply && reply[1] === id && verifyResponse(reply, authenticator, secret) ? (reply[0] ?? null) : null;
}
