/**
 * The CoA client with a relay (coa/relay.ts, cluster workers): a request for a NAS this process holds no RadSec
 * connection for is offered to the relay first; its outcome is the answer (sent, counted and audited by the
 * process holding the connection), null or a failure means UDP from here, and stop() does not wait for it. The
 * request crosses the IPC channel as JSON and comes back the same.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { CoaClient, CoaStoppedError, type CoaRequest } from '../../../src/coa/client.js';
import { fromWire, outcomeFromWire, toWire, type CoaRelay } from '../../../src/coa/relay.js';
import { createLogger } from '../../../src/observability/logger.js';
import { Attr, Code } from '../../../src/radius/codes.js';
import { FakeBras } from '../../helpers/fake-bras.js';

const SECRET = 'relay-unit-secret-123';
const silent = createLogger('info', new Writable({ write: (_c, _e, done) => done() }));

let client: CoaClient | undefined;
let bras: FakeBras | undefined;
afterEach(async () => {
  await client?.stop();
  bras?.close();
  client = undefined;
  bras = undefined;
});

async function setup(relay: CoaRelay): Promise<{ req: CoaRequest; bras: FakeBras }> {
  bras = new FakeBras({ secret: SECRET });
  const port = await bras.start();
  client = new CoaClient({ log: silent, retry: { initialMs: 2000, maxMs: 2000, maxTries: 2, maxDurationMs: 4000 }, bindAddress: '127.0.0.1' });
  client.setRelay(relay);
  await client.start();
  const req: CoaRequest = {
    nas: { name: 'nas1', address: '127.0.0.1', secret: Buffer.from(SECRET), coaPort: port },
    kind: 'disconnect',
    action: 'disconnect',
    attributes: [{ type: Attr.UserName, value: Buffer.from([0xff, 0x00, 0x61]) }],
    username: 'alice',
    sessionId: 7,
  };
  return { req, bras };
}

describe('CoA relay', () => {
  it('takes the outcome of the process holding the connection and sends nothing itself', async () => {
    const asked: string[] = [];
    const { req, bras } = await setup({ send: (address) => (asked.push(address), Promise.resolve({ result: 'ack', attempts: 1, rttMs: 3, transport: 'radsec' })) });
    expect(await client!.send(req)).toEqual({ result: 'ack', attempts: 1, rttMs: 3, transport: 'radsec' });
    expect(asked).toEqual(['127.0.0.1']);
    expect(bras.received).toHaveLength(0);
  });

  it('sends over UDP when no process holds a connection, or the relay fails', async () => {
    let fail = false;
    const { req, bras } = await setup({ send: () => (fail ? Promise.reject(new Error('IPC gone')) : Promise.resolve(null)) });
    expect(await client!.send(req)).toMatchObject({ result: 'ack', transport: 'udp' });
    fail = true;
    expect(await client!.send(req)).toMatchObject({ result: 'ack', transport: 'udp' });
    expect(bras.requests.map((p) => p.code)).toEqual([Code.DisconnectRequest, Code.DisconnectRequest]);
  });

  it('never relays a request another process relayed here (sendHere)', async () => {
    const { req, bras } = await setup({ send: () => Promise.reject(new Error('must not be asked')) });
    expect(await client!.sendHere(req)).toMatchObject({ result: 'ack', transport: 'udp' });
    expect(bras.requests).toHaveLength(1);
  });

  it('gives up a relayed request at stop without waiting for the other process', async () => {
    const { req } = await setup({ send: () => new Promise(() => undefined) });
    const sent = client!.send(req);
    await new Promise((r) => setImmediate(r));
    await client!.stop();
    await expect(sent).rejects.toBeInstanceOf(CoaStoppedError);
    client = undefined;
  });

  it('carries a request and an outcome through JSON unchanged', () => {
    const req: CoaRequest = {
      nas: { name: 'n', address: '::1', secret: Buffer.from([0, 1, 2, 255]), coaPort: 3799 },
      kind: 'coa',
      action: 'restrict',
      attributes: [{ type: 1, value: Buffer.from([0xc3, 0x28]) }, { type: 26, value: Buffer.alloc(40, 7) }],
      sessionId: null,
    };
    expect(fromWire(JSON.parse(JSON.stringify(toWire(req))) as ReturnType<typeof toWire>)).toEqual(req);
    const outcome = { result: 'nak', errorCause: 503, attempts: 1, rttMs: 2, transport: 'radsec' } as const;
    expect(outcomeFromWire(JSON.parse(JSON.stringify(outcome)) as typeof outcome)).toEqual(outcome);
  });
});
