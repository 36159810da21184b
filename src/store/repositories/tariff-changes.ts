/**
 * Tariff changes scheduled for the next period (tariff_changes, migration 17; docs/schema.md). Scheduling locks the
 * subscriber row, checks the change against the subscriber's current tariff, and cancels the pending change and
 * inserts the new one in one transaction (at most one pending per subscriber: the partial unique index). Applying
 * is the fee scheduler's, before it charges a day: it claims the row (`applied_at`) and changes the tariff through
 * the subscribers repository's update in one transaction, so the subscription bookkeeping is the API's and exactly
 * one instance applies each change.
 *
 * Lock order, as every subscriber write: the subscriptions advisory lock (shared), the subscriber row, then its
 * tariff_changes rows. An immediate tariff change (subscribers repository) updates the subscriber row before it
 * cancels the pending change, so it and an application never wait on each other in opposite orders.
 */
import { checkTimeZone, dayInTimeZone } from '../../billing/core/calendar.js';
import { nextPeriodStart } from '../../billing/core/periods.js';
import type { AppliedTariffChange, TariffChangeRepository } from '../../domain/ports.js';
import type { ScheduledTariffChange } from '../../domain/types.js';
import type { Sql } from '../sql.js';
import { cancelPendingTariffChange, lockSubscriptions, PENDING_TARIFF_CHANGE, subscriberRepository, toScheduledTariffChange, type PendingTariffChangeRow } from './subscribers.js';

export interface TariffChangeRepositoryOptions {
  /** IANA time zone of fee days (default 'UTC'): the next period starts on a day of it. */
  readonly feeTimeZone?: string;
  /** The clock (tests). */
  readonly now?: () => Date;
}

export function tariffChangeRepository(sql: Sql, options: TariffChangeRepositoryOptions = {}): TariffChangeRepository {
  const timeZone = checkTimeZone(options.feeTimeZone ?? 'UTC');
  const now = options.now ?? (() => new Date());
  return {
    async schedule({ subscriberId, tariffId, operatorId }) {
      const effectiveOn = nextPeriodStart(dayInTimeZone(now(), timeZone));
      return sql.transaction(async (tx) => {
        const [subscriber] = await tx.query<{ tariff_id: number | null }>('SELECT tariff_id FROM subscribers WHERE id = $1 FOR UPDATE', [subscriberId]);
        if (!subscriber) return { kind: 'no-subscriber' } as const;
        if (subscriber.tariff_id === null) return { kind: 'no-current-tariff' } as const;
        if (subscriber.tariff_id === tariffId) return { kind: 'same-tariff' } as const;
        const replaced = await cancelPendingTariffChange(tx, subscriberId);
        // A tariff that does not exist fails here (tariff_changes_tariff_id_fkey: STORE_REFERENCE on tariffId).
        const [row] = await tx.query<PendingTariffChangeRow>(
          `WITH inserted AS (
             INSERT INTO tariff_changes (subscriber_id, tariff_id, effective_on, operator_id) VALUES ($1, $2, $3::date, $4)
             RETURNING subscriber_id, tariff_id, effective_on
           )
           SELECT i.subscriber_id, i.tariff_id, t.name AS tariff_name, i.effective_on FROM inserted i JOIN tariffs t ON t.id = i.tariff_id`,
          [subscriberId, tariffId, effectiveOn, operatorId],
        );
        return { kind: 'scheduled', change: toScheduledTariffChange(row!), replaced } as const;
      });
    },
    async pending(subscriberIds) {
      const found = new Map<number, ScheduledTariffChange>();
      if (subscriberIds.length === 0) return found;
      const rows = await sql.query<PendingTariffChangeRow>(
        `SELECT tc.subscriber_id, tc.tariff_id, t.name AS tariff_name, tc.effective_on
         FROM tariff_changes tc JOIN tariffs t ON t.id = tc.tariff_id
         WHERE tc.subscriber_id = ANY($1::bigint[]) AND ${PENDING_TARIFF_CHANGE}`,
        [subscriberIds],
      );
      for (const row of rows) found.set(row.subscriber_id, toScheduledTariffChange(row));
      return found;
    },
    async cancel(subscriberId) {
      return sql.transaction(async (tx) => {
        const [subscriber] = await tx.query('SELECT id FROM subscribers WHERE id = $1 FOR UPDATE', [subscriberId]);
        return subscriber ? cancelPendingTariffChange(tx, subscriberId) : null;
      });
    },
  };
}

/** The ids of the pending changes due on or before `day` ('YYYY-MM-DD'), oldest first (tariff_changes_due_idx). */
export async function dueTariffChanges(sql: Sql, day: string): Promise<number[]> {
  const rows = await sql.query<{ id: number }>(
    `SELECT tc.id FROM tariff_changes tc WHERE tc.effective_on <= $1::date AND ${PENDING_TARIFF_CHANGE} ORDER BY tc.effective_on, tc.id`,
    [day],
  );
  return rows.map((r) => r.id);
}

/**
 * Applies scheduled change `id` before fee day `day` is charged: in one transaction, locks the subscriber row,
 * claims the change (`applied_at`, only while it is still pending: a second instance, or one racing a cancel,
 * claims nothing and answers null), and sets the tariff through the subscribers repository's update with
 * `fromDay = day`: the open subscription ends on `day − 1` (or the last day already charged) and the new one opens
 * on `day`, as an immediate change made that day would. The caller publishes the subscriber change event.
 */
export async function applyTariffChange(sql: Sql, id: number, day: string): Promise<AppliedTariffChange | null> {
  return sql.transaction(async (tx) => {
    const [change] = await tx.query<{ subscriber_id: number }>('SELECT subscriber_id FROM tariff_changes WHERE id = $1', [id]);
    if (!change) return null;
    await lockSubscriptions(tx);
    const [subscriber] = await tx.query<{ username: string }>('SELECT username FROM subscribers WHERE id = $1 FOR UPDATE', [change.subscriber_id]);
    if (!subscriber) return null;
    const [claimed] = await tx.query<{ tariff_id: number }>(
      `UPDATE tariff_changes tc SET applied_at = now() WHERE tc.id = $1 AND ${PENDING_TARIFF_CHANGE} RETURNING tc.tariff_id`,
      [id],
    );
    if (!claimed) return null;
    const updated = await subscriberRepository(tx).update(change.subscriber_id, { tariffId: claimed.tariff_id }, { fromDay: day });
    if (!updated) return null;
    return { subscriberId: updated.id, username: updated.username, tariffId: claimed.tariff_id, fromDay: day };
  });
}
