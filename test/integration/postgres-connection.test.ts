/**
 * A connection that dies inside a transaction (the server restarting, a failover, an administrator's
 * pg_terminate_backend) fails that transaction with STORE_UNAVAILABLE and does not crash the process; the pool
 * replaces the connection. PostgreSQL only (TEST_DATABASE_URL).
 */
import { describe, expect, it } from 'vitest';
import { createPostgresSql } from '../../src/store/postgres.js';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('PostgreSQL connection lost inside a transaction', () => {
  it('rejects the transaction, emits no uncaught error, and the next transaction works', async () => {
    const sql = createPostgresSql(url!, { max: 2 });
    const admin = createPostgresSql(url!, { max: 1 });
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown): void => {
      uncaught.push(err);
    };
    process.on('uncaughtException', onUncaught);
    try {
      const failed = sql.transaction(async (tx) => {
        const [row] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [row!.pid]);
        // The server closed this connection: pg emits 'error' on the checked-out client and this statement fails.
        await new Promise((r) => setTimeout(r, 200));
        await tx.query('SELECT 1');
      });
      await expect(failed).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
      await new Promise((r) => setTimeout(r, 100));
      expect(uncaught).toEqual([]);
      expect(await sql.transaction((tx) => tx.query<{ one: number }>('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await sql.close();
      await admin.close();
    }
  });
});
