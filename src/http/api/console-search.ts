/**
 * `GET /api/v1/search?q=&limit=`: the console's one search box. The text is read as every key it can be — a
 * login prefix (always, case-insensitive), an IP address (a subscriber's static Framed-IP-Address and the open
 * sessions holding it), a MAC address in any spelling a BRAS sends (aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF,
 * aabb.ccdd.eeff, aabbccddeeff: the subscriber's binding and open sessions' Calling-Station-Id) and a number (a
 * subscriber id, or an account id, the account number) — and each key is one indexed look-up (migration 14).
 * Accounts and subscribers have no name or description column, so there is no search by name.
 */
import { normalizeMac } from '../../aaa/authorize.js';
import type { SearchQuery } from '../../domain/console.js';
import { ipFamily } from '../../schema/index.js';
import { ApiError } from './errors.js';
import { integer, text, type JsonSchema } from './fields.js';
import { API_PREFIX, schemaRef } from './crud.js';
import type { ApiRoute } from './route.js';
import { parseQuery } from './validate.js';
import { parseId } from './router.js';

export const searchQuery = {
  q: text({ description: 'Required. What was typed: a login prefix, an IP address, a MAC address (any common spelling), a subscriber id or an account id.', maxLength: 253, example: 'alice' }).optional(),
  limit: integer({ description: 'Most subscribers to return.', minimum: 1, maximum: 100 }).withDefault(20),
};

export const SEARCH_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  SearchHit: {
    type: 'object',
    description: 'A subscriber the search found, once, under the first key that found it.',
    properties: {
      subscriberId: { type: 'integer', minimum: 1 },
      username: { type: 'string' },
      accountId: { type: 'integer', minimum: 1 },
      accountState: { type: 'string', enum: ['active', 'blocked'] },
      matchedBy: {
        type: 'string',
        enum: ['framedIp', 'sessionIp', 'mac', 'sessionMac', 'subscriberId', 'accountId', 'login'],
        description: "framedIp: the subscriber's static address; sessionIp: an open session holds it; mac: the MAC binding; sessionMac: an open session's Calling-Station-Id; subscriberId, accountId: the number; login: the username starts with the text.",
      },
    },
    required: ['subscriberId', 'username', 'accountId', 'accountState', 'matchedBy'],
  },
  SearchResult: {
    type: 'object',
    properties: {
      items: { type: 'array', items: schemaRef('SearchHit') },
      limit: { type: 'integer' },
      interpretedAs: { type: 'array', items: { type: 'string', enum: ['login', 'ip', 'mac', 'id'] }, description: 'The keys the text was looked up as.' },
    },
    required: ['items', 'limit', 'interpretedAs'],
  },
};

/** What a search text can be read as. */
export function interpret(q: string): SearchQuery {
  const text = q.trim();
  const mac = normalizeMac(text);
  const id = parseId(text);
  return {
    loginPrefix: text,
    ...(ipFamily(text) !== 0 ? { ip: text } : {}),
    ...(mac === undefined ? {} : { macHex: mac.replaceAll(':', '') }),
    ...(id === undefined ? {} : { id }),
  };
}

export const searchRoute: ApiRoute = {
  method: 'GET',
  permission: 'read',
  pattern: `${API_PREFIX}/search`,
  operationId: 'search',
  summary: 'Find subscribers by login prefix, IP address, MAC address, subscriber id or account id',
  tag: 'Console',
  query: searchQuery,
  success: { status: 200, description: 'The subscribers found, best key first', schema: schemaRef('SearchResult') },
  errors: ['VALIDATION_FAILED'],
  async handle(ctx) {
    const { q, limit } = parseQuery(searchQuery, ctx.query);
    if (q === undefined || q.trim() === '') throw ApiError.validation([{ field: 'q', message: 'q is required: a login prefix, an IP or MAC address, or an id' }]);
    const query = interpret(q);
    const interpretedAs = [
      ...(query.loginPrefix !== '' ? ['login'] : []),
      ...(query.ip !== undefined ? ['ip'] : []),
      ...(query.macHex !== undefined ? ['mac'] : []),
      ...(query.id !== undefined ? ['id'] : []),
    ];
    const items = await ctx.store.console.search(query, limit);
    return { status: 200, body: { items, limit, interpretedAs } };
  },
};
