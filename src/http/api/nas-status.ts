/**
 * `GET /api/v1/nas-status`: every NAS client — the `nas` rows and the configuration file's clients (a row with
 * the same address replaces a config client, as in the RADIUS client table) — with where it stands on
 * Message-Authenticator (the setting, the requirement in force, the counts of this instance's RADIUS processes,
 * as the NAS resource reports them) and when it was last seen: each RADIUS process keeps that in memory and
 * writes it to the database at most every 30 s (transport/nas-last-seen.ts), so it is at most that old and the
 * same on every instance.
 */
import { messageAuthenticatorCountsOf } from '../../observability/metrics.js';
import type { ConsoleDeps } from './console-deps.js';
import type { JsonSchema } from './fields.js';
import { API_PREFIX, schemaRef } from './crud.js';
import type { ApiRoute } from './route.js';

export const NAS_STATUS_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  NasStatus: {
    type: 'object',
    properties: {
      id: { type: ['integer', 'null'], description: 'The nas row; null for a config-file client.' },
      source: { type: 'string', enum: ['database', 'config'] },
      name: { type: 'string' },
      address: { type: 'string' },
      vendor: { type: 'string' },
      messageAuthenticator: {
        type: 'object',
        properties: {
          setting: { type: ['boolean', 'string'], description: 'true, false or "auto".' },
          required: { type: 'boolean', description: 'The requirement in force (auto: whether a valid one has been seen).' },
          seenAt: { type: ['string', 'null'], format: 'date-time', description: 'auto rows: the first valid one; null otherwise.' },
          counts: { type: ['object', 'null'], description: 'As in Nas.messageAuthenticator.counts.' },
        },
        required: ['setting', 'required', 'seenAt', 'counts'],
      },
      lastSeenAt: { type: ['string', 'null'], format: 'date-time', description: 'The last request that passed the checks, to within 30 s; null when never seen.' },
    },
    required: ['id', 'source', 'name', 'address', 'vendor', 'messageAuthenticator', 'lastSeenAt'],
  },
  NasStatusList: { type: 'object', properties: { items: { type: 'array', items: schemaRef('NasStatus') } }, required: ['items'] },
};

export function nasStatusRoute(deps: ConsoleDeps): ApiRoute {
  return {
    method: 'GET',
    permission: 'read',
    pattern: `${API_PREFIX}/nas-status`,
    operationId: 'listNasStatus',
    summary: 'Every NAS client with its Message-Authenticator state and when it was last seen',
    tag: 'Console',
    success: { status: 200, description: 'Database rows first (by id), then config-file clients', schema: schemaRef('NasStatusList') },
    errors: [],
    async handle(ctx) {
      const [rows, configSeen, seen] = await Promise.all([ctx.store.nas.list(), ctx.store.nas.configClientsWithMessageAuthenticator(), ctx.store.console.nasLastSeen()]);
      const rowAddresses = new Set(rows.map((r) => r.address));
      const clients = (deps.configClients?.() ?? []).filter((c) => !rowAddresses.has(c.address));
      const counts = await messageAuthenticatorCountsOf([...rows.map((r) => r.name), ...clients.map((c) => c.name)]);
      const fallback = deps.defaultRequireMessageAuthenticator?.() ?? true;
      const items = [
        ...rows.map((r) => ({
          id: r.id,
          source: 'database',
          name: r.name,
          address: r.address,
          vendor: r.vendor,
          messageAuthenticator: {
            setting: r.requireMessageAuthenticator,
            required: r.requireMessageAuthenticator === 'auto' ? r.messageAuthenticatorSeenAt !== null : r.requireMessageAuthenticator,
            seenAt: r.messageAuthenticatorSeenAt,
            counts: counts.get(r.name) ?? null,
          },
          lastSeenAt: seen.byId.get(r.id) ?? null,
        })),
        ...clients.map((c) => {
          const setting = c.requireMessageAuthenticator ?? fallback;
          return {
            id: null,
            source: 'config',
            name: c.name,
            address: c.address,
            vendor: c.vendor,
            messageAuthenticator: { setting, required: setting === 'auto' ? configSeen.has(c.address) : setting, seenAt: null, counts: counts.get(c.name) ?? null },
            lastSeenAt: seen.byAddress.get(c.address) ?? null,
          };
        }),
      ];
      return { status: 200, body: { items } };
    },
  };
}
