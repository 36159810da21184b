/**
 * Fault: PostgreSQL is stopped in the middle of accounting load and started again a few seconds later, twice:
 * a clean shutdown (`pg_ctl stop -m fast`: every backend terminated with 57P01) and a crash (`-m immediate`:
 * connections cut, crash recovery at the next start). The BRAS retransmits (same Identifier every 500 ms, a new Identifier with a larger
 * Acct-Delay-Time every 3 s). After recovery every record is acknowledged, every session is stored once with
 * its final counters, charged exactly what the tariff says, and `tollgate ledger verify` passes.
 */
import { describe, expect, it } from 'vitest';
import { expectSettled, loadFixture, plan, runLoad } from './accounting-plan.js';
import { unsupported } from './harness.js';

describe.skipIf(unsupported !== null)('PostgreSQL stopped and started during accounting load', () => {
  const fixture = loadFixture('pgr', 6);

  it('acknowledges every record after recovery, rates each session exactly once, and the ledger verifies', async () => {
    const { env, daemon, users } = fixture;
    const sessions = plan(users, 6, 'pgr');
    // A crash of the daemon (an unhandled connection error, say) fails the test at once, with its last log lines.
    const load = daemon.unlessItDies(runLoad(daemon.ports.acct, sessions, { connections: 6, gapMs: 250 }));
    let loadDone = false;
    load.then(() => (loadDone = true)).catch(() => undefined); // awaited below; no unhandled rejection meanwhile
    // Let the load get going, then take the database away while the BRAS keeps sending; twice.
    const outages: number[] = [];
    const loadRunning: boolean[] = [];
    for (const [after, mode, downMs] of [[700, 'fast', 3500], [2000, 'immediate', 3000]] as const) {
      await new Promise((r) => setTimeout(r, after));
      loadRunning.push(!loadDone);
      await env.pg.stop(mode);
      const downAt = Date.now();
      await new Promise((r) => setTimeout(r, downMs));
      await env.pg.start();
      outages.push(Date.now() - downAt);
    }
    const result = await load;
    console.info(`postgres restart: ${JSON.stringify(result)}, outages ${outages.join(' and ')} ms`);

    expect(daemon.running).toBe(true);
    expect(result.acked).toBe(sessions.length * 4);
    // Both outages hit the load: records went unanswered and were sent again with a new Identifier.
    expect(loadRunning).toEqual([true, true]);
    expect(result.newId).toBeGreaterThan(0);
    await expectSettled(env.pg, sessions);

    const verify = await daemon.ledgerVerify();
    expect(verify.stderr).toBe('');
    expect(verify.stdout).toMatch(/ledger: \d+ accounts, 0 mismatches/);
    expect(verify.code).toBe(0);
  });
});
