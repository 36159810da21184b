/**
 * A BRAS's RFC 5176 listener for tests: a real UDP socket on loopback port 0 that keeps every request it receives
 * with the verdict on its Request Authenticator and Message-Authenticator, and answers what `behaviour` says.
 * By default it ACKs (CoA-ACK, Disconnect-ACK); a test can NAK, stay silent, answer only the n-th try, or send
 * a forged reply (signed with another secret) before the real one or instead of it.
 *
 * A request whose Request Authenticator does not verify is kept (so a test can see it) but never answered: a
 * NAS silently discards what it cannot authenticate.
 */
import dgram from 'node:dgram';
import { Attr, Code, encodeReply, parsePacket, verifyMessageAuthenticator, verifyRequestAuthenticator, type RawAttribute, type RawPacket } from '../../src/radius/index.js';
import { SECRET } from './daemon.js';

const ZERO16 = Buffer.alloc(16);
const FORGERY_SECRET = Buffer.from('wrong-secret');

export interface ReceivedRequest {
  readonly packet: RawPacket;
  readonly requestAuthenticatorOk: boolean;
  readonly messageAuthenticatorOk: boolean;
}

export interface BrasAnswer {
  readonly code: number;
  readonly attributes?: RawAttribute[];
  /** A reply signed with the wrong secret first (`first`: the real one follows; `only`: nothing else). */
  readonly forge?: 'first' | 'only';
}

/** What the BRAS does with the n-th request it receives (0-based): an answer, or null to stay silent. */
export type BrasBehaviour = (packet: RawPacket, n: number) => BrasAnswer | null;

/** ACK every request: CoA-ACK for a CoA-Request, Disconnect-ACK for a Disconnect-Request. */
export const ackAll: BrasBehaviour = (packet) => ({ code: packet.code === Code.CoARequest ? Code.CoAACK : Code.DisconnectACK });

/** The Error-Cause attribute of a NAK (RFC 5176 §3.6), e.g. 503 Session Context Not Found. */
export function errorCause(value: number): RawAttribute {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return { type: Attr.ErrorCause, value: b };
}

export interface FakeBrasOptions {
  /** The shared secret (default: the test daemon's). */
  readonly secret?: string | Buffer;
  /** The loopback address to listen on: '127.0.0.1' (default) or '::1'. */
  readonly address?: string;
}

export class FakeBras {
  /** Every request received, in order, verified or not. */
  readonly received: ReceivedRequest[] = [];
  behaviour: BrasBehaviour = ackAll;
  /** The UDP port, once `start()` has resolved. */
  port = 0;
  private readonly secret: Buffer;
  private readonly address: string;
  private readonly socket: dgram.Socket;

  constructor(options: FakeBrasOptions = {}) {
    this.secret = Buffer.from(options.secret ?? SECRET);
    this.address = options.address ?? '127.0.0.1';
    const v6 = this.address.includes(':');
    this.socket = dgram.createSocket({ type: v6 ? 'udp6' : 'udp4', ipv6Only: v6 });
  }

  /** The requests whose Request Authenticator verified (the ones a NAS acts on), in order. */
  get requests(): RawPacket[] {
    return this.received.filter((r) => r.requestAuthenticatorOk).map((r) => r.packet);
  }

  /** Binds to port 0 on the address; resolves with the port (rejects when the address is not there). */
  async start(): Promise<number> {
    this.socket.on('message', (msg, rinfo) => {
      const packet = parsePacket(Buffer.from(msg));
      const n = this.received.length;
      const requestAuthenticatorOk = verifyRequestAuthenticator(packet, this.secret);
      this.received.push({ packet, requestAuthenticatorOk, messageAuthenticatorOk: verifyMessageAuthenticator(packet, this.secret, ZERO16) });
      if (!requestAuthenticatorOk) return;
      const answer = this.behaviour(packet, n);
      if (!answer) return;
      const attrs = answer.attributes ?? [];
      if (answer.forge) {
        this.socket.send(encodeReply(answer.code, packet.identifier, packet.authenticator, attrs, FORGERY_SECRET, { messageAuthenticator: false }), rinfo.port, rinfo.address);
        if (answer.forge === 'only') return;
      }
      this.socket.send(encodeReply(answer.code, packet.identifier, packet.authenticator, attrs, this.secret, { messageAuthenticator: true }), rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve, reject) => {
      this.socket.once('error', reject);
      this.socket.bind(0, this.address, () => {
        this.socket.off('error', reject);
        resolve();
      });
    });
    this.port = this.socket.address().port;
    return this.port;
  }

  close(): void {
    this.socket.close();
  }
}
