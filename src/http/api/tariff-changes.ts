/**
 * `DELETE /api/v1/subscribers/{id}/scheduled-tariff-change`: cancels the tariff change scheduled for the next
 * period (PATCH /api/v1/subscribers/{id} with `effective: "next-period"` schedules one; the subscriber's
 * `scheduledTariffChange` shows it). Audited as `subscriber.tariff_change_cancel`, with the cancelled change as
 * `before`. The subscriber's tariff now is untouched, so no change event follows.
 */
import { API_PREFIX } from './crud.js';
import { ApiError } from './errors.js';
import { idParam, type ApiRoute } from './route.js';

export const SCHEDULED_TARIFF_CHANGE_PATTERN = `${API_PREFIX}/subscribers/:id/scheduled-tariff-change`;

export const cancelScheduledTariffChangeRoute: ApiRoute = {
  method: 'DELETE',
  permission: 'subscribers:write',
  pattern: SCHEDULED_TARIFF_CHANGE_PATTERN,
  operationId: 'cancelScheduledTariffChange',
  summary: "Cancel the subscriber's tariff change scheduled for the next period",
  tag: 'Subscriber',
  success: { status: 204, description: 'Cancelled: the subscriber stays on its tariff' },
  errors: ['NOT_FOUND'],
  async handle(ctx) {
    const id = idParam(ctx);
    await ctx.audited('subscriber.tariff_change_cancel', `subscriber:${id}`, async (tx) => {
      if (!(await tx.subscribers.get(id))) throw new ApiError('NOT_FOUND', `no subscriber with id ${id}`);
      const cancelled = await tx.tariffChanges.cancel(id);
      if (!cancelled) throw new ApiError('NOT_FOUND', `subscriber ${id} has no scheduled tariff change`);
      return { result: cancelled, before: { scheduledTariffChange: cancelled }, after: { scheduledTariffChange: null } };
    });
    return { status: 204 };
  },
};
