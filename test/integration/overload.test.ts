/**
 * Overload on a real UDP listener: an access handler that holds the event loop 15 ms per Access-Request, sent one
 * every 3 ms, saturates the loop (a listener that cannot keep up); new Access-Requests are then shed and counted,
 * while every Accounting-Request sent at the same time is answered.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { radiusDropped, radiusShed } from '../../src/observability/metrics.js';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeRequest } from '../../src/radius/crypto.js';
import { AdmissionController } from '../../src/transport/admission.js';
import { loadUdpBatch } from '../../src/transport/batch-socket.js';
import type { UdpIo } from '../../src/transport/udp-endpoint.js';
import { NasTable } from '../../src/transport/nas-table.js';
import { UdpServer } from '../../src/transport/udp-server.js';
import { logSink } from '../helpers/log.js';
import { accountingRequest } from '../helpers/udp-client.js';

const SECRET = 'overload-test-secret';
const AUTH_REQUESTS = 120;
const ACCT_REQUESTS = 120;
const HOLD_MS = 15;

let server: UdpServer | undefined;
let client: dgram.Socket | undefined;
afterEach(async () => {
  client?.close();
  client = undefined;
  await server?.stop(100);
  server = undefined;
});

function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* holding the event loop, as CPU-bound work does */
  }
}

async function counter(metric: typeof radiusShed, labels: Record<string, string>): Promise<number> {
  return (await metric.get()).values.filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x)).reduce((a, v) => a + v.value, 0);
}

/** Both UDP I/O paths (radius.io), the batched one when its addon is built (as `npm install` does here). */
const paths: UdpIo[] = loadUdpBatch().ok ? ['dgram', 'batch'] : ['dgram'];

async function start(io: UdpIo, admission?: AdmissionController) {
  const log = logSink();
  const nas = new NasTable([{ name: 'bras-1', address: '127.0.0.1', secret: SECRET, vendor: 'generic', coaPort: 3799 }], {
    requireMessageAuthenticator: false,
    limitProxyState: false,
  });
  const logger = createLogger('info', log.stream);
  const options = {
    listen: ['127.0.0.1'],
    authPort: 0,
    acctPort: 0,
    receiveBufferBytes: 1 << 20,
    sendBufferBytes: 1 << 20,
    replyCacheSeconds: 0,
    unknownClientLogIntervalSeconds: 60,
    shared: false,
    io,
    // Only the loop's utilisation can trigger here (the lag limit is out of reach): the signal of a saturated listener.
    overload: { enabled: true, maxEventLoopUtilizationPercent: 90, maxEventLoopLagMs: 10_000, maxAccountingLatencyMs: 0, maxShedPercent: 90, sampleIntervalMs: 10 },
  };
  const handlers = {
    access: () => {
      busy(HOLD_MS);
      return { code: Code.AccessAccept, attributes: [] };
    },
    // The journal's commit, as a short wait off the event loop.
    accounting: () => new Promise<{ code: number; attributes: [] }>((resolve) => setTimeout(() => resolve({ code: Code.AccountingResponse, attributes: [] }), 2)),
  };
  server = admission ? new UdpServer(nas, handlers, options, logger, admission) : new UdpServer(nas, handlers, options, logger);
  await server.start();
  return { ports: server.ports(), lines: log.lines };
}

/** Sends the Access-Requests and Accounting-Requests interleaved, a few ms apart; counts the replies by code. */
async function load(ports: { auth: number; acct: number }, settleMs: number): Promise<Map<number, number>> {
  const socket = dgram.createSocket('udp4');
  client = socket;
  const replies = new Map<number, number>();
  await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, () => resolve()));
  socket.on('message', (msg) => replies.set(msg[0] ?? 0, (replies.get(msg[0] ?? 0) ?? 0) + 1));
  const secret = Buffer.from(SECRET);
  for (let i = 0; i < Math.max(AUTH_REQUESTS, ACCT_REQUESTS); i++) {
    if (i < ACCT_REQUESTS) socket.send(accountingRequest(secret, `user${i}`, `s${i}`, 3, 60, i % 256), ports.acct, '127.0.0.1');
    if (i < AUTH_REQUESTS) {
      const access = encodeRequest(Code.AccessRequest, i % 256, [{ type: Attr.UserName, value: Buffer.from(`user${i}`) }], secret, { messageAuthenticator: true });
      socket.send(access, ports.auth, '127.0.0.1');
    }
    await new Promise((r) => setTimeout(r, 3));
  }
  const deadline = performance.now() + settleMs;
  while (performance.now() < deadline && (replies.get(Code.AccountingResponse) ?? 0) < ACCT_REQUESTS) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  return replies;
}

describe.each(paths)('overload on the UDP listener (radius.io %s)', (io) => {
  it('sheds and counts new Access-Requests while the event loop is saturated; every Accounting-Request is answered', async () => {
    const { ports, lines } = await start(io);
    const shedBefore = await counter(radiusShed, { code: 'Access-Request' });
    const droppedBefore = await counter(radiusDropped, {});

    const replies = await load(ports, 10_000);

    const shed = (await counter(radiusShed, { code: 'Access-Request' })) - shedBefore;
    expect(replies.get(Code.AccountingResponse)).toBe(ACCT_REQUESTS);
    expect(shed).toBeGreaterThan(0);
    // Every Access-Request was either answered or shed: nothing else dropped, nothing lost.
    expect((replies.get(Code.AccessAccept) ?? 0) + shed).toBe(AUTH_REQUESTS);
    expect((await counter(radiusDropped, {})) - droppedBefore).toBe(0);
    expect(lines.some((l) => l.level === 'warn' && String(l.msg).startsWith('overloaded: shedding new Access-Requests'))).toBe(true);
    expect(server?.admission.state.shed).toBe(shed);
  });

  it('without overload (forced signals of 0), every request of both kinds is answered', async () => {
    const { ports } = await start(
      io,
      new AdmissionController(
        { enabled: true, maxEventLoopUtilizationPercent: 90, maxEventLoopLagMs: 5, maxAccountingLatencyMs: 0, maxShedPercent: 90, sampleIntervalMs: 10 },
        { lagSource: () => 0, utilizationSource: () => 0 },
      ),
    );
    const replies = await load(ports, 10_000);
    expect(replies.get(Code.AccountingResponse)).toBe(ACCT_REQUESTS);
    expect(replies.get(Code.AccessAccept)).toBe(AUTH_REQUESTS);
    expect(server?.admission.state.shed).toBe(0);
  });
});
