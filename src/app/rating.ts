/**
 * The billing role: the rater (journaled accounting → sessions, charges, balances) and the daily fee run. An
 * account whose state either of them changed (blocked, or active again) is announced on the change feed, so
 * every instance's next Access-Request sees it.
 */
import { FeeScheduler } from '../billing/fee-scheduler.js';
import { AccountingRater } from '../billing/rater.js';
import { publishAccounts, type AppContext } from './context.js';

export interface Rating {
  /** Waits until every accounting record journaled so far is rated. */
  drain(timeoutMs?: number): Promise<void>;
  /** Wakes the rater (journal rows were committed). */
  kick(): void;
}

/** What the rater keeps of a stop's budget to end its pass and release its connection. */
const RATER_CLOSE_MS = 250;

export async function startRater(ctx: AppContext): Promise<Rating> {
  const { log } = ctx;
  const config = ctx.config();
  const rater = new AccountingRater(
    ctx.store.accountingRating,
    {
      maxRecords: ctx.databaseKind === 'pglite' ? Math.min(config.accounting.rateBatch, 1000) : config.accounting.rateBatch,
      pollIntervalMs: config.accounting.ratePollMs,
      minIntervalMs: config.accounting.rateIntervalMs,
      rules: {
        maxClockSkewSeconds: config.accounting.maxClockSkewSeconds,
        maxRateBitsPerSecond: config.accounting.maxRateBitsPerSecond,
        maxSessionSeconds: config.accounting.maxSessionSeconds,
      },
    },
    log,
    (changed) => publishAccounts(ctx, changed.map((c) => c.accountId)),
    // Every instance's Simultaneous-Use counts follow this (aaa/open-sessions.ts); a lost event is caught by
    // the confirming query of a reject, or by the reload after a feed outage.
    (sessions) => ctx.changes.publish({ kind: 'sessions', ...sessions }).catch((err: unknown) => log.warn({ err }, 'session changes not published; open-session counts may lag')),
  );
  await ctx.life.start({
    name: 'rater',
    start: () => rater.start(),
    // Rate what this instance acknowledged, within the budget; the rest waits in the journal for the next rater
    // (another instance, or this one after a restart).
    async stop(budgetMs) {
      await rater
        .drain(Math.max(0, budgetMs - RATER_CLOSE_MS))
        .catch((err: unknown) => log.warn({ err }, 'accounting journal not fully rated before exit; it will be on the next start'));
      await rater.stop();
    },
  });
  return { drain: (timeoutMs) => rater.drain(timeoutMs), kick: () => rater.kick() };
}

/**
 * Daily fees: exactly once per (subscription, day) by the database's unique key, whichever instance runs; the
 * scheduled tariff changes due by each day are applied before it is charged.
 */
export async function startFees(ctx: AppContext): Promise<void> {
  const config = ctx.config();
  const fees = new FeeScheduler(
    ctx.store.feeRuns,
    { timeZone: config.fees.timeZone, intervalMs: config.fees.intervalMinutes * 60_000 },
    ctx.log,
    (changed) => publishAccounts(ctx, changed.map((c) => c.accountId), 'account change not published'),
    // A scheduled tariff change is a subscriber write: every instance reloads the snapshot (the new speed).
    (applied) => {
      for (const c of applied) {
        ctx.changes
          .publish({ kind: 'subscriber', id: c.subscriberId, usernames: [c.username] })
          .catch((err: unknown) => ctx.log.warn({ err, subscriberId: c.subscriberId }, 'subscriber change not published; the snapshot follows at the next reload'));
      }
    },
  );
  await ctx.life.start({ name: 'fees', start: () => fees.start(), stop: () => fees.stop() });
}
