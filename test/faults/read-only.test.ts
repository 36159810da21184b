/**
 * Fault: the database turns read-only under the daemon (as after a failover to a standby, or an operator's
 * `default_transaction_read_only`): `ALTER SYSTEM SET default_transaction_read_only = on` + `pg_reload_conf()`,
 * which every pooled connection picks up. Accounting must not be acknowledged while nothing can be made durable,
 * the failure must be visible (an error log line naming the cause, tollgate_accounting_failures_total{stage=
 * "journal"}), and once the database is writable again the retransmissions are acknowledged and every session
 * is charged exactly once.
 */
import { describe, expect, it } from 'vitest';
import { expectSettled, loadFixture, plan, runLoad } from './accounting-plan.js';
import { eventually, metricValue, unsupported } from './harness.js';

const FAILURES = 'tollgate_accounting_failures_total';

describe.skipIf(unsupported !== null)('read-only database under accounting load', () => {
  const fixture = loadFixture('ro', 4);

  const setReadOnly = (on: boolean): Promise<void> =>
    fixture.env.pg.session([
      'SET default_transaction_read_only = off',
      on ? 'ALTER SYSTEM SET default_transaction_read_only = on' : 'ALTER SYSTEM RESET default_transaction_read_only',
      'SELECT pg_reload_conf()',
    ]);

  it('acknowledges nothing while read-only, says why, and charges exactly once when writable again', async () => {
    const { env, daemon, users } = fixture;
    const sessions = plan(users, 2, 'ro');
    // Start + first Interim of every session while the database is writable.
    await runLoad(daemon.ports.acct, sessions, { connections: 4, gapMs: 0, from: 0, to: 1 });
    const failuresBefore = metricValue(await daemon.metrics(), FAILURES, { stage: 'journal' });
    const errorsBefore = daemon.linesAtLeast('error').length;

    await setReadOnly(true);
    const ro = await env.pg.query<{ v: string }>("SELECT current_setting('default_transaction_read_only') AS v");
    expect(ro[0]?.v).toBe('on');
    // Second Interim and Stop of every session, one BRAS connection per session: all of them wait now.
    const progress = { acked: 0 };
    const load = daemon.unlessItDies(runLoad(daemon.ports.acct, sessions, { connections: sessions.length, gapMs: 0, from: 2, to: 3, progress }));
    load.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
    await new Promise((r) => setTimeout(r, 3000));
    expect(progress.acked).toBe(0);
    expect(daemon.running).toBe(true);
    const failures = await eventually(async () => {
      const v = metricValue(await daemon.metrics(), FAILURES, { stage: 'journal' });
      return v > failuresBefore ? v : undefined;
    }, 5000, `${FAILURES}{stage="journal"} to increase`);
    expect(failures).toBeGreaterThan(failuresBefore);
    const errors = daemon.linesAtLeast('error').slice(errorsBefore);
    const journalError = errors.find((l) => /accounting/i.test(String(l.msg)) && /not acknowledged/i.test(String(l.msg)));
    expect(journalError, `an accounting error line among:\n${errors.map((l) => JSON.stringify(l).slice(0, 300)).join('\n')}`).toBeDefined();
    // The line carries the database's reason: SQLSTATE 25006 read_only_sql_transaction.
    expect(JSON.stringify(journalError?.err)).toMatch(/read-only transaction|25006/);

    await setReadOnly(false);
    const result = await load;
    console.info(`read-only: ${JSON.stringify(result)}`);
    expect(result.acked).toBe(sessions.length * 2);
    expect(result.newId).toBeGreaterThan(0);
    await expectSettled(env.pg, sessions);
    const verify = await daemon.ledgerVerify();
    expect(verify.stdout).toMatch(/ledger: \d+ accounts, 0 mismatches/);
    expect(verify.code).toBe(0);
  });
});
