/**
 * `GET /api/v1/subscribers/{id}/reply-preview?nas=` — the exact reply attributes a subscriber would get right now
 * from a NAS (a row by id or name, or a config-file client by name), computed by the access path's own code
 * (aaa/reply-preview.ts: authorize + the NAS vendor's compiled profile + Tollgate's Class) from the same snapshot
 * the subscriber directory loads, without sending anything. And `GET /api/v1/vendor-profiles`: every vendor's
 * profile as configured (the built-in one with the `vendors` overrides applied), the templates the preview renders.
 */
import { previewReply } from '../../aaa/reply-preview.js';
import { DEFAULT_PROFILES, mergeProfile, RATE_CHANGE_BY } from '../../aaa/vendor-profiles.js';
import { VENDORS, type VendorName } from '../../domain/types.js';
import type { ConsoleDeps } from './console-deps.js';
import { ApiError } from './errors.js';
import { text, type JsonSchema } from './fields.js';
import { API_PREFIX, schemaRef } from './crud.js';
import { idParam, type ApiRoute } from './route.js';
import { parseId } from './router.js';
import { parseQuery } from './validate.js';

const previewQuery = {
  nas: text({ description: 'Required. The NAS: a nas row id, or the name of a row or of a config-file client.', maxLength: 64, example: 'bras-1' }).optional(),
};

const templates: JsonSchema = { type: 'object', description: 'Attribute name (Name:tag for a tagged one) → value template, or a list of them.' };

export const PREVIEW_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  ReplyAttribute: {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'The dictionary name.' },
      vendor: { type: ['string', 'null'], description: "The vendor's dictionary name; null for a standard attribute." },
      value: { type: 'string', description: 'The value as text: integers by their VALUE name when they have one, printable octets as text, other octets as 0x hex.' },
      tag: { type: 'integer', minimum: 1, maximum: 31 },
    },
    required: ['name', 'vendor', 'value'],
  },
  ReplyPreview: {
    type: 'object',
    description: "What an Access-Request from this NAS would be answered now. Not included: the credential check, the MAC binding and Simultaneous-Use (each a reject of its own), a Framed-IP-Address the request carries, MS-CHAPv2's MS-CHAP2-Success and MPPE keys.",
    properties: {
      nas: {
        type: 'object',
        properties: { id: { type: ['integer', 'null'] }, name: { type: 'string' }, vendor: { type: 'string' } },
        required: ['id', 'name', 'vendor'],
      },
      result: { type: 'string', enum: ['accept', 'redirect', 'reject'] },
      reason: { type: ['string', 'null'] },
      reasonText: { type: ['string', 'null'] },
      code: { type: 'string', enum: ['Access-Accept', 'Access-Reject'] },
      attributes: { type: 'array', items: schemaRef('ReplyAttribute') },
    },
    required: ['nas', 'result', 'reason', 'reasonText', 'code', 'attributes'],
  },
  VendorProfile: {
    type: 'object',
    properties: {
      vendor: { type: 'string', enum: VENDORS },
      vars: { type: 'object', description: "The profile's constants." },
      accept: templates,
      redirect: { type: 'object', properties: { code: { type: 'string', enum: ['Access-Accept', 'Access-Reject'] }, attributes: templates }, required: ['code', 'attributes'] },
      coaRestrict: templates,
      coaRestore: templates,
      disconnectOnRestore: { type: 'boolean' },
      rateChange: templates,
      rateChangeBy: { type: 'string', enum: RATE_CHANGE_BY, description: 'How a live session gets a new speed: the rateChange CoA, or a Disconnect (it reconnects).' },
    },
    required: ['vendor', 'vars', 'accept', 'redirect', 'coaRestrict', 'coaRestore', 'disconnectOnRestore', 'rateChange', 'rateChangeBy'],
  },
  VendorProfileList: { type: 'object', properties: { items: { type: 'array', items: schemaRef('VendorProfile') } }, required: ['items'] },
};

function isVendor(v: string): v is VendorName {
  return (VENDORS as readonly string[]).includes(v);
}

export function replyPreviewRoutes(deps: ConsoleDeps): ApiRoute[] {
  return [
    {
      method: 'GET',
      permission: 'read',
      pattern: `${API_PREFIX}/subscribers/:id/reply-preview`,
      operationId: 'previewSubscriberReply',
      summary: 'The reply attributes the subscriber would get now from a NAS (computed, nothing sent)',
      tag: 'Console',
      query: previewQuery,
      success: { status: 200, description: 'The decision and the attributes', schema: schemaRef('ReplyPreview') },
      errors: ['NOT_FOUND', 'VALIDATION_FAILED'],
      async handle(ctx) {
        const id = idParam(ctx);
        const { nas } = parseQuery(previewQuery, ctx.query);
        if (nas === undefined) throw ApiError.validation([{ field: 'nas', message: 'nas is required: a nas id or a NAS name' }]);
        const { profiles, dictionary } = deps;
        if (!profiles || !dictionary) throw new ApiError('NOT_FOUND', 'this instance has no vendor profiles loaded, so it cannot preview replies');
        const subscriber = await ctx.store.subscribers.get(id);
        if (!subscriber) throw new ApiError('NOT_FOUND', `no subscriber with id ${id}`);
        const nasId = parseId(nas);
        const row = nasId !== undefined ? await ctx.store.nas.get(nasId) : (await ctx.store.nas.list()).find((n) => n.name === nas);
        const client = row ? { id: row.id, name: row.name, vendor: row.vendor as string } : deps.configClients?.().find((c) => c.name === nas);
        if (!client) throw new ApiError('NOT_FOUND', `no NAS ${JSON.stringify(nas)}: give a nas row id, or the name of a row or of a config-file client`, { field: 'nas' });
        const vendor = isVendor(client.vendor) ? client.vendor : 'generic';
        const snapshot = await ctx.store.subscribers.snapshot(subscriber.username);
        if (!snapshot) throw new ApiError('NOT_FOUND', `no subscriber with id ${id}`);
        const preview = previewReply(profiles, dictionary, vendor, snapshot);
        return { status: 200, body: { nas: { id: 'id' in client ? client.id : null, name: client.name, vendor }, ...preview } };
      },
    },
    {
      method: 'GET',
      permission: 'read',
      pattern: `${API_PREFIX}/vendor-profiles`,
      operationId: 'listVendorProfiles',
      summary: "Every vendor's reply profile as configured (built-in, with the vendors overrides applied)",
      tag: 'Console',
      success: { status: 200, description: 'The profiles, one per vendor', schema: schemaRef('VendorProfileList') },
      errors: [],
      handle() {
        const items = VENDORS.map((vendor) => ({ vendor, ...mergeProfile(DEFAULT_PROFILES[vendor], deps.vendors?.[vendor]) }));
        return Promise.resolve({ status: 200, body: { items } });
      },
    },
  ];
}
