/** A minimal RADIUS peer for tests: sends raw datagrams from a chosen loopback address and waits for a reply. */
import dgram from 'node:dgram';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeRequest } from '../../src/radius/crypto.js';
import type { RawAttribute } from '../../src/radius/packet.js';

export async function exchange(
  port: number,
  datagram: Buffer,
  options: { host?: string; from?: string; timeoutMs?: number } = {},
): Promise<Buffer | null> {
  const host = options.host ?? '127.0.0.1';
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: options.from ?? (host.includes(':') ? '::1' : '127.0.0.1'), port: 0 }, () => resolve());
    });
    return await new Promise<Buffer | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), options.timeoutMs ?? 1000);
      socket.once('message', (msg) => {
        clearTimeout(timer);
        resolve(msg);
      });
      socket.send(datagram, port, host);
    });
  } finally {
    socket.close();
  }
}

/** Sends several datagrams from one socket (same source port) and collects every reply within the window. */
export async function burst(port: number, datagrams: Buffer[], windowMs = 500): Promise<Buffer[]> {
  const socket = dgram.createSocket('udp4');
  const replies: Buffer[] = [];
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, () => resolve()));
  socket.on('message', (msg) => replies.push(msg));
  for (const d of datagrams) socket.send(d, port, '127.0.0.1');
  await new Promise((r) => setTimeout(r, windowMs));
  socket.close();
  return replies;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/**
 * An Accounting-Request signed with `secret`: `status` is Acct-Status-Type, `seconds` Acct-Session-Time, and `delay`
 * Acct-Delay-Time (it dates the event back; a retransmission with a new Identifier raises it).
 */
export function accountingRequest(secret: Buffer, user: string, session: string, status: number, seconds: number, id: number, delay = 0): Buffer {
  const attrs: RawAttribute[] = [
    { type: Attr.UserName, value: Buffer.from(user) },
    { type: Attr.AcctStatusType, value: u32(status) },
    { type: Attr.AcctSessionId, value: Buffer.from(session) },
    { type: Attr.AcctSessionTime, value: u32(seconds) },
    { type: Attr.AcctDelayTime, value: u32(delay) },
  ];
  return encodeRequest(Code.AccountingRequest, id, attrs, secret, { messageAuthenticator: false });
}
