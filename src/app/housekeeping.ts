/**
 * Housekeeping once a minute, idempotent so every instance may run it: auth-log retention, expired temporary
 * credits (which may block an account: re-derived and announced), and sessions whose Stop was lost.
 */
import { pruneAuthLog } from '../aaa/auth-log-retention.js';
import { staleLimits } from '../aaa/stale-limits.js';
import type { ChangeFeed } from '../domain/ports.js';
import type { AppContext } from './context.js';

const INTERVAL_MS = 60_000;
/** Journal rows older than this mean rating is behind: their Interims may still be on their way to sessions. */
const RATING_BEHIND_SECONDS = 60;

/** One pass; each step logs its own failure and is retried at the next pass. Resolves when all three are done. */
export async function housekeepingPass(ctx: Pick<AppContext, 'config' | 'store' | 'log'> & { readonly changes: ChangeFeed }): Promise<void> {
  const { store, changes, log } = ctx;
  const config = ctx.config();
  // The auth log grows by one row per Access-Request: keep authLog.retentionDays of it.
  const retention = pruneAuthLog(store.authLog, { retentionDays: config.authLog.retentionDays }).then(
    (deleted) => {
      if (deleted > 0) log.info({ deleted, retentionDays: config.authLog.retentionDays }, 'auth log entries past retention deleted');
    },
    (err: unknown) => log.error({ err }, 'auth log retention pass failed; retrying next minute'),
  );
  const credits = store.ledger.expireCredits().then(
    async (changed) => {
      for (const id of changed) await changes.publish({ kind: 'account', id });
      if (changed.length > 0) log.info({ accounts: changed.length }, 'temporary credits expired; account states re-derived');
    },
    (err: unknown) => log.error({ err }, 'credit expiry sweep failed; retrying next minute'),
  );
  // Sessions whose Stop was lost would block Simultaneous-Use for ever: close those silent too long — unless
  // rating is behind, when their Interims may be waiting in the journal.
  // Each NAS's limit from its vendor's Acct-Interim-Interval (aaa/stale-limits.ts): the configured clients and
  // the API's NAS rows, read each pass (a NAS added since counts from the next one).
  const stale = store.housekeeping
    .ratingBehind(RATING_BEHIND_SECONDS)
    .then(async (behind) => (behind ? -1 : store.sessions.closeStale(staleLimits(config, [...config.clients, ...(await store.nas.list())]))))
    .then(
      (closed) => {
        if (closed > 0) log.info({ closed }, 'stale sessions closed');
        if (closed < 0) log.warn('accounting rating is behind; stale-session sweep skipped');
      },
      (err: unknown) => log.error({ err }, 'stale session sweep failed; retrying next minute'),
    );
  await Promise.all([retention, credits, stale]);
}

export async function startHousekeeping(ctx: AppContext): Promise<void> {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  await ctx.life.start({
    name: 'housekeeping',
    start() {
      timer = setInterval(() => {
        running ??= housekeepingPass(ctx).finally(() => {
          running = null;
        });
      }, INTERVAL_MS);
      timer.unref();
    },
    // A pass in progress finishes (its statements are short) before the database closes.
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  });
}
