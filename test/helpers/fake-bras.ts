/** A BRAS's RFC 5176 listener for tests: verifies each request's authenticator, keeps it and ACKs it. */
import dgram from 'node:dgram';
import { Code } from '../../src/radius/codes.js';
import { encodeReply, verifyRequestAuthenticator } from '../../src/radius/crypto.js';
import { parsePacket, type RawPacket } from '../../src/radius/packet.js';
import { SECRET } from './daemon.js';

export class FakeBras {
  readonly requests: RawPacket[] = [];
  private readonly socket = dgram.createSocket('udp4');
  port = 0;

  constructor(private readonly secret: Buffer = Buffer.from(SECRET)) {}

  async start(): Promise<void> {
    await new Promise<void>((r) => this.socket.bind(0, '127.0.0.1', () => r()));
    this.port = this.socket.address().port;
    this.socket.on('message', (msg, rinfo) => {
      const packet = parsePacket(msg);
      if (!verifyRequestAuthenticator(packet, this.secret)) return;
      this.requests.push(packet);
      const ack = packet.code === Code.CoARequest ? Code.CoAACK : Code.DisconnectACK;
      this.socket.send(encodeReply(ack, packet.identifier, packet.authenticator, [], this.secret, { messageAuthenticator: true }), rinfo.port, rinfo.address);
    });
  }

  close(): void {
    this.socket.close();
  }
}
