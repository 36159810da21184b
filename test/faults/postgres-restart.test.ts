/**
 * Fault: PostgreSQL is stopped (`pg_ctl stop -m fast`) in the middle of accounting load and started again a few
 * seconds later. The BRAS retransmits (same Identifier every 500 ms, a new Identifier with a larger
 * Acct-Delay-Time every 3 s). After recovery every record is acknowledged, every session is stored once with
 * its final counters, charged exactly what the tariff says, and `tollgate ledger verify` passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSettled, plan, runLoad, seed, type Subscriber } from './accounting-plan.js';
import { FaultEnv, unsupported, type DaemonProcess } from './harness.js';

describe.skipIf(unsupported !== null)('PostgreSQL stopped and started during accounting load', () => {
  let env: FaultEnv;
  let daemon: DaemonProcess;
  let users: Subscriber[];

  beforeAll(async () => {
    env = await FaultEnv.create();
    daemon = await env.daemon('tollgate');
    users = await seed(daemon, 'pgr', 6);
  });
  afterAll(async () => {
    await env?.destroy();
  });

  it('acknowledges every record after recovery, rates each session exactly once, and the ledger verifies', async () => {
    const sessions = plan(users, 4, 'pgr');
    // A crash of the daemon (an unhandled connection error, say) fails the test at once, with its last log lines.
    const load = daemon.unlessItDies(runLoad(daemon.ports.acct, sessions, { connections: 6, gapMs: 120 }));
    load.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
    // Let the load get going, then take the database away for 4 s while the BRAS keeps sending.
    await new Promise((r) => setTimeout(r, 700));
    await env.pg.stop('fast');
    const downAt = Date.now();
    await new Promise((r) => setTimeout(r, 4000));
    await env.pg.start();
    const upAfterMs = Date.now() - downAt;
    const result = await load;
    console.info(`postgres restart: ${JSON.stringify(result)}, database back after ${upAfterMs} ms`);

    expect(daemon.running).toBe(true);
    expect(result.acked).toBe(sessions.length * 4);
    // The outage was felt: records went unanswered and were sent again with a new Identifier.
    expect(result.newId).toBeGreaterThan(0);
    expect(upAfterMs).toBeGreaterThanOrEqual(4000);
    await expectSettled(env.pg, sessions);

    const verify = await daemon.ledgerVerify();
    expect(verify.stderr).toBe('');
    expect(verify.stdout).toMatch(/ledger: \d+ accounts, 0 mismatches/);
    expect(verify.code).toBe(0);
  });
});
