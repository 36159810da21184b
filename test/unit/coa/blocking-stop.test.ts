/**
 * The blocking service at stop, on a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL) and a real CoA
 * client sending to a NAS that never answers: stopping gives the restrict up at once and releases the claim, so
 * the next pass (after a restart, or on another instance) tells the NAS.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VendorProfiles } from '../../../src/aaa/vendor-profiles.js';
import { BlockingService } from '../../../src/coa/blocking.js';
import { CoaClient } from '../../../src/coa/client.js';
import type { Store } from '../../../src/domain/ports.js';
import { createLogger } from '../../../src/observability/logger.js';
import { shippedDictionary } from '../../../src/app/paths.js';
import { loadDictionaryFiles } from '../../../src/config/dictionary-files.js';
import { rederiveAccountStates } from '../../../src/store/account-state.js';
import { createStore } from '../../../src/store/store.js';
import { insertSession } from '../../contract/sessions.contract.js';
import { createTestSql, type TestSql } from '../../helpers/sql.js';

const log = createLogger('silent');

describe('blocking service at stop', () => {
  let db: TestSql;
  let store: Store;
  let silent: dgram.Socket;
  let received = 0;

  beforeAll(async () => {
    db = await createTestSql({ migrate: true });
    store = createStore(db.sql);
    silent = dgram.createSocket('udp4');
    silent.on('message', () => received++);
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    silent?.close();
    await db?.cleanup();
  });

  it('gives up the restrict of a session whose NAS is silent and releases its claim for the next pass', async () => {
    const account = await store.accounts.create({});
    await store.subscribers.create({ username: 'stop-user', password: 'pw', accountId: account.id });
    const sessionId = await insertSession(db.sql, { username: 'stop-user', accountId: account.id, nasName: 'bras-silent', startedAt: new Date().toISOString() });
    await store.transaction(async (tx) => {
      await tx.ledger.adjust({ accountId: account.id, amount: -100, reason: 'test' });
    });
    await rederiveAccountStates(db.sql, [account.id], 'test');
    expect((await store.accounts.get(account.id))?.state).toBe('blocked');

    // The default retry schedule: without the stop, the restrict would wait 30 s for the silent NAS.
    const coa = new CoaClient({ audit: store.coa, log, bindAddress: '127.0.0.1' });
    await coa.start();
    const blocking = new BlockingService({
      coaState: store.coa,
      subscribers: store.subscribers,
      profiles: VendorProfiles.compile(loadDictionaryFiles([shippedDictionary()])),
      coa,
      nasByName: (name) => (name === 'bras-silent' ? { address: '127.0.0.1', secret: Buffer.from('s3cret'), coaPort: silent.address().port, vendor: 'mikrotik' } : undefined),
      log,
    });
    const pass = blocking.reconcile([account.id]);
    await expect.poll(() => received, { timeout: 5000 }).toBe(1);
    const coaState = async (): Promise<string | undefined> =>
      (await db.sql.query<{ coa_state: string }>('SELECT coa_state FROM sessions WHERE id = $1', [sessionId]))[0]?.coa_state;
    expect(await coaState()).toBe('restricted');

    const started = Date.now();
    await coa.stop();
    await blocking.stop();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await pass).toEqual({ claimed: 1, acknowledged: 0 });
    // Released: what the NAS was last told is 'normal' again, so the next pass claims it.
    expect(await coaState()).toBe('normal');
    expect(await db.sql.query('SELECT request, action, result, attempts FROM coa_audit WHERE session_id = $1', [sessionId])).toEqual([
      { request: 'coa', action: 'restrict', result: 'aborted', attempts: 1 },
    ]);
    // A stopped service starts no pass.
    expect(await blocking.reconcile(null)).toEqual({ claimed: 0, acknowledged: 0 });
    expect(await coaState()).toBe('normal');
  });
});
