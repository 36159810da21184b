/**
 * Warnings about RADIUS input are rate-limited per client and reason (one limiter with unknown clients), while the
 * drop counter counts every event. A real server on a loopback socket, a real logger writing to memory; on both
 * UDP I/O paths (radius.io dgram and batch, the latter when the addon is built, as `npm install` does here).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { radiusDropped } from '../../../src/observability/metrics.js';
import { Attr, Code } from '../../../src/radius/codes.js';
import { encodeRequest } from '../../../src/radius/crypto.js';
import { NasTable } from '../../../src/transport/nas-table.js';
import { loadUdpBatch } from '../../../src/transport/batch-socket.js';
import type { UdpIo } from '../../../src/transport/udp-endpoint.js';
import { UdpServer } from '../../../src/transport/udp-server.js';
import { burst } from '../../helpers/udp-client.js';
import { logSink } from '../../helpers/log.js';

const SECRET = 'udp-server-unit-secret';

let server: UdpServer | undefined;
afterEach(async () => {
  await server?.stop(100);
  server = undefined;
});

async function start(nasAddress: string, io: UdpIo) {
  const log = logSink();
  const nas = new NasTable([{ name: 'bras-1', address: nasAddress, secret: SECRET, vendor: 'mikrotik', coaPort: 3799 }], {
    requireMessageAuthenticator: false,
    limitProxyState: false,
  });
  server = new UdpServer(
    nas,
    {
      access: () => ({ code: Code.AccessReject, attributes: [] }),
      accounting: (ctx) => {
        ctx.inputProblem('malformed', { error: 'Acct-Status-Type missing' }, 'invalid Accounting-Request dropped');
        return null;
      },
    },
    {
      listen: ['127.0.0.1'],
      authPort: 0,
      acctPort: 0,
      receiveBufferBytes: 1 << 20,
      sendBufferBytes: 1 << 20,
      replyCacheSeconds: 0,
      unknownClientLogIntervalSeconds: 60,
      shared: false,
      io,
    },
    createLogger('info', log.stream),
  );
  await server.start();
  expect(server.io()).toBe(io);
  return { ports: server.ports(), lines: log.lines };
}

async function dropped(reason: string): Promise<number> {
  return (await radiusDropped.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

const warnings = (lines: Record<string, unknown>[], msg: string) => lines.filter((l) => l.level === 'warn' && String(l.msg).startsWith(msg));

// The addon is built by `npm install`; without a compiler only the dgram path runs (and says so here).
const paths: UdpIo[] = loadUdpBatch().ok ? ['dgram', 'batch'] : ['dgram'];

describe.each(paths)('UdpServer input warnings (radius.io %s)', (io) => {
  it('logs one warning per client and reason per interval, and counts every drop', async () => {
    const { ports, lines } = await start('127.0.0.1', io);
    const malformedBefore = await dropped('malformed');
    const badAuthBefore = await dropped('bad_authenticator');
    const short = Buffer.from([Code.AccessRequest, 1, 0, 10]);
    const wrongSecret = (id: number) =>
      encodeRequest(Code.AccountingRequest, id, [{ type: Attr.UserName, value: Buffer.from('x') }], Buffer.from('not-the-secret'), { messageAuthenticator: false });
    await burst(ports.auth, Array.from({ length: 5 }, () => short), 300);
    await burst(ports.acct, Array.from({ length: 4 }, (_, i) => wrongSecret(i)), 300);
    expect((await dropped('malformed')) - malformedBefore).toBe(5);
    expect((await dropped('bad_authenticator')) - badAuthBefore).toBe(4);
    expect(warnings(lines, 'malformed packet dropped')).toHaveLength(1);
    expect(warnings(lines, 'packet dropped')).toHaveLength(1);
    expect(warnings(lines, 'packet dropped')[0]).toMatchObject({ nas: 'bras-1', reason: 'bad_authenticator', code: 'RADIUS_BAD_AUTHENTICATOR' });
  });

  it('rate-limits what a handler reports through the same limiter', async () => {
    const { ports, lines } = await start('127.0.0.1', io);
    const request = (id: number) =>
      encodeRequest(Code.AccountingRequest, id, [{ type: Attr.UserName, value: Buffer.from('x') }], Buffer.from(SECRET), { messageAuthenticator: false });
    await burst(ports.acct, Array.from({ length: 3 }, (_, i) => request(i)), 300);
    expect(warnings(lines, 'invalid Accounting-Request dropped')).toHaveLength(1);
    expect(warnings(lines, 'invalid Accounting-Request dropped')[0]).toMatchObject({ nas: 'bras-1', reason: 'malformed' });
  });

  it('logs an unknown client once per address', async () => {
    const { ports, lines } = await start('192.0.2.1', io);
    await burst(ports.auth, Array.from({ length: 3 }, () => Buffer.alloc(20)), 300);
    expect(warnings(lines, 'packet from unknown client dropped')).toHaveLength(1);
  });
});
