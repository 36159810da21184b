/**
 * Zero-length attributes (RFC 2865 §5 gives every attribute a value) are left out by the codec and counted per
 * NAS in tollgate_radius_empty_attributes_total (requests that passed their checks), through a real UdpServer on a
 * loopback socket.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { registry } from '../../../src/observability/metrics.js';
import { Attr, Code } from '../../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator } from '../../../src/radius/crypto.js';
import { NasTable } from '../../../src/transport/nas-table.js';
import { UdpServer } from '../../../src/transport/udp-server.js';
import { exchange } from '../../helpers/udp-client.js';
import { logSink } from '../../helpers/log.js';

const secret = Buffer.from('empty-attributes-unit-secret');

let server: UdpServer | undefined;
afterEach(async () => {
  await server?.stop(100);
  server = undefined;
});

async function start(): Promise<number> {
  const table = new NasTable(
    [{ name: 'sends-empty', address: '127.0.0.1', secret: secret.toString(), vendor: 'generic', coaPort: 3799, requireMessageAuthenticator: false }],
    { requireMessageAuthenticator: false, limitProxyState: false },
  );
  // io: the UDP I/O setting of releases that have one (radius.io); node:dgram, the one every release has.
  const options = { listen: ['127.0.0.1'], authPort: 0, acctPort: 0, receiveBufferBytes: 1 << 20, sendBufferBytes: 1 << 20, replyCacheSeconds: 0, unknownClientLogIntervalSeconds: 60, shared: false, io: 'dgram' as const };
  server = new UdpServer(
    table,
    { access: () => ({ code: Code.AccessAccept, attributes: [] }), accounting: () => null },
    options,
    createLogger('info', logSink().stream),
  );
  await server.start();
  return server.ports().auth;
}

let nextId = 0;
/** An Access-Request (no Message-Authenticator, so nothing signs the attributes) with `empties` Class attributes of Length 2 appended. */
function withEmptyAttributes(empties: number): Buffer {
  const authenticator = randomAuthenticator();
  const attributes = [
    { type: Attr.UserName, value: Buffer.from('alice') },
    { type: Attr.UserPassword, value: hidePassword(Buffer.from('pw'), secret, authenticator) },
  ];
  const base = encodeRequest(Code.AccessRequest, ++nextId & 0xff, attributes, secret, { messageAuthenticator: false, authenticator });
  const packet = Buffer.concat([base, ...Array.from({ length: empties }, () => Buffer.from([Attr.Class, 2]))]);
  packet.writeUInt16BE(packet.length, 2);
  return packet;
}

async function emptyCount(nas: string): Promise<number> {
  const text = await registry.metrics();
  const m = new RegExp(`tollgate_radius_empty_attributes_total\\{nas="${nas}"\\} (\\d+)`).exec(text);
  return m ? Number(m[1]) : -1;
}

describe('empty attributes', () => {
  it('are counted per NAS in tollgate_radius_empty_attributes_total, from 0', async () => {
    const port = await start();
    expect(await emptyCount('sends-empty')).toBe(0);
    expect((await exchange(port, withEmptyAttributes(2)))?.[0]).toBe(Code.AccessAccept);
    expect((await exchange(port, withEmptyAttributes(1)))?.[0]).toBe(Code.AccessAccept);
    expect(await emptyCount('sends-empty')).toBe(3);
  });
});
