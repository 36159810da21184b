/**
 * NasLastSeen: the request path's clock reads written at most once per interval, only what moved, the newest
 * time of a table replaced by a reload kept, and a failed write retried with the next flush.
 */
import { describe, expect, it } from 'vitest';
import type { NasSighting } from '../../../src/domain/console.js';
import { createLogger } from '../../../src/observability/logger.js';
import { NasLastSeen } from '../../../src/transport/nas-last-seen.js';
import { NasTable } from '../../../src/transport/nas-table.js';

const log = createLogger('silent');
const table = () =>
  new NasTable(
    [
      { name: 'row', address: '192.0.2.1', secret: 'secret-123', vendor: 'generic', coaPort: 3799, id: 7 },
      { name: 'file', address: '192.0.2.2', secret: 'secret-123', vendor: 'generic', coaPort: 3799 },
    ],
    { requireMessageAuthenticator: true, limitProxyState: true },
  );

describe('NasLastSeen', () => {
  it('writes the clients seen since the last write, rows by id and config clients by address', async () => {
    let current = table();
    const written: NasSighting[][] = [];
    const seen = new NasLastSeen(() => current.clients, (s) => Promise.resolve(void written.push([...s])), log);
    await seen.flush();
    expect(written).toEqual([]);
    current.clients[0]!.lastSeenMs = 1_000;
    current.clients[1]!.lastSeenMs = 2_000;
    await seen.flush();
    expect(written).toEqual([
      [
        { id: 7, address: '192.0.2.1', name: 'row', at: new Date(1_000) },
        { address: '192.0.2.2', name: 'file', at: new Date(2_000) },
      ],
    ]);
    await seen.flush();
    expect(written).toHaveLength(1);
    // A reload replaces the clients: the newest unwritten time of the old table is still written.
    current.clients[0]!.lastSeenMs = 3_000;
    seen.retire(current.clients);
    current = table();
    await seen.flush();
    expect(written[1]).toEqual([{ id: 7, address: '192.0.2.1', name: 'row', at: new Date(3_000) }]);
    await seen.stop();
  });

  it('keeps what a failed write held for the next one', async () => {
    const current = table();
    let fail = true;
    const written: NasSighting[] = [];
    const seen = new NasLastSeen(
      () => current.clients,
      (s) => (fail ? Promise.reject(new Error('database away')) : Promise.resolve(void written.push(...s))),
      log,
    );
    current.clients[1]!.lastSeenMs = 5_000;
    await seen.flush();
    expect(written).toEqual([]);
    fail = false;
    await seen.flush();
    expect(written.map((s) => s.at.getTime())).toEqual([5_000]);
  });
});
