/**
 * Fault: the daemon is killed with SIGKILL in the middle of accounting load (no drain, nothing flushed) and
 * started again on the same ports and database. The BRAS retransmits until answered. Afterwards every record
 * is acknowledged, no Stop is lost, no session is stored or charged twice (exact charges), and
 * `tollgate ledger verify` passes.
 */
import { describe, expect, it } from 'vitest';
import { balances, expectSettled, loadFixture, plan, runLoad } from './accounting-plan.js';
import { unsupported } from './harness.js';

describe.skipIf(unsupported !== null)('daemon killed with SIGKILL during accounting load', () => {
  const fixture = loadFixture('kill', 6);

  it('after a restart every record is acknowledged, nothing is lost or doubled, and the ledger verifies', async () => {
    const { env, daemon, users } = fixture;
    const sessions = plan(users, 4, 'kill');
    const load = runLoad(daemon.ports.acct, sessions, { connections: 6, gapMs: 100 });
    await new Promise((r) => setTimeout(r, 800));
    const pid = daemon.pid;
    await daemon.kill();
    expect(daemon.running).toBe(false);
    // Down long enough for the BRAS to give up on the Identifiers it was using.
    await new Promise((r) => setTimeout(r, 3500));
    await daemon.start();
    expect(daemon.pid).not.toBe(pid);
    const result = await daemon.unlessItDies(load);
    console.info(`daemon kill: ${JSON.stringify(result)}`);

    expect(result.acked).toBe(sessions.length * 4);
    expect(result.newId).toBeGreaterThan(0);
    await expectSettled(env.pg, sessions);

    const verify = await daemon.ledgerVerify();
    expect(verify.stdout).toMatch(/ledger: \d+ accounts, 0 mismatches/);
    expect(verify.code).toBe(0);
  });

  it('a second kill right after records are acknowledged loses nothing that was acknowledged', async () => {
    const { env, daemon, users } = fixture;
    // Acknowledged means durable: kill the daemon the moment the last Stop is acknowledged (rating may still
    // be pending), start it again, and the sessions settle all the same.
    const sessions = plan(users.slice(0, 3), 2, 'kill2');
    const baseline = await balances(env.pg, users.slice(0, 3));
    await runLoad(daemon.ports.acct, sessions, { connections: 3, gapMs: 0 });
    await daemon.kill();
    await daemon.start();
    await expectSettled(env.pg, sessions, { baseline });
    const verify = await daemon.ledgerVerify();
    expect(verify.code).toBe(0);
  });
});
