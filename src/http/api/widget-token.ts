/**
 * `POST /api/v1/subscribers/{id}/widget-token` on the admin API: a signed, expiring token that lets the
 * operator's own site show one subscriber's billing widget (served by the portal listener under /widget/v1/).
 * Signed with portal.widgetSecret; without it the widget is off and this route answers 404.
 */
import { API_PREFIX, schemaRef } from './crud.js';
import { ApiError } from './errors.js';
import { integer, type JsonSchema } from './fields.js';
import { idParam, type ApiRoute } from './route.js';
import { parseBody } from './validate.js';
import { WIDGET_PATHS, WidgetTokens } from '../../domain/widget-token.js';

export const WIDGET_TOKEN_PATTERN = `${API_PREFIX}/subscribers/:id/widget-token`;

/** The most a token may live, whatever the configuration says (one year). */
export const MAX_WIDGET_TTL_SECONDS = 31_536_000;

export interface WidgetTokenSettings {
  /** portal.widgetSecret; undefined: the widget is off. */
  readonly secret: string | undefined;
  /** portal.widgetTokenTtlSeconds: the default and the most a request may ask for. */
  readonly ttlSeconds: number;
}

const widgetTokenFields = {
  ttlSeconds: integer({
    description: 'Lifetime in seconds (60 up to portal.widgetTokenTtlSeconds, which is also the default).',
    minimum: 60,
    maximum: MAX_WIDGET_TTL_SECONDS,
    example: 3600,
  }).optional(),
};

/** The component schemas of the route (merged into the OpenAPI document). */
export const WIDGET_TOKEN_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  WidgetTokenCreate: {
    type: 'object',
    description: 'Every field is optional; an empty body gets the configured lifetime.',
    additionalProperties: false,
    properties: { ttlSeconds: widgetTokenFields.ttlSeconds.jsonSchema() },
    required: [],
  },
  WidgetToken: {
    type: 'object',
    description: "A bearer token for the subscriber's billing widget on the portal listener.",
    properties: {
      token: { type: 'string', description: 'Pass as ?token= or Authorization: Bearer. Treat it like a password of the subscriber.' },
      subscriberId: { type: 'integer', minimum: 1 },
      expiresAt: { type: 'string', format: 'date-time', description: 'When it stops working (UTC).' },
      summaryPath: { type: 'string', description: 'JSON summary, on the portal listener.', examples: [WIDGET_PATHS.summary] },
      fragmentPath: { type: 'string', description: 'Embeddable HTML fragment, on the portal listener.', examples: [WIDGET_PATHS.fragment] },
    },
    required: ['token', 'subscriberId', 'expiresAt', 'summaryPath', 'fragmentPath'],
  },
};

export function widgetTokenRoute(settings: WidgetTokenSettings | undefined): ApiRoute {
  const tokens = settings?.secret === undefined ? undefined : new WidgetTokens(settings.secret);
  const maxTtl = Math.min(settings?.ttlSeconds ?? MAX_WIDGET_TTL_SECONDS, MAX_WIDGET_TTL_SECONDS);
  return {
    method: 'POST',
    permission: 'subscribers:write',
    pattern: WIDGET_TOKEN_PATTERN,
    operationId: 'createSubscriberWidgetToken',
    summary: "Issue a signed token for the subscriber's billing widget (portal listener, /widget/v1/*)",
    tag: 'Subscriber',
    requestBody: 'WidgetTokenCreate',
    body: { shape: widgetTokenFields, mode: 'create', description: 'Every field is optional; an empty body gets the configured lifetime.' },
    success: { status: 201, description: 'A new token; earlier ones stay valid until they expire', schema: schemaRef('WidgetToken'), location: false },
    errors: ['NOT_FOUND', 'VALIDATION_FAILED', 'MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE'],
    async handle(ctx) {
      const id = idParam(ctx);
      const input = parseBody(widgetTokenFields, await ctx.readBody(), 'create');
      if (!tokens) throw new ApiError('NOT_FOUND', 'the billing widget is off: set portal.widgetSecret (32+ characters) to issue widget tokens');
      const ttl = input.ttlSeconds ?? maxTtl;
      if (ttl > maxTtl) throw ApiError.validation([{ field: 'ttlSeconds', message: `must be at most ${maxTtl} (portal.widgetTokenTtlSeconds), got ${ttl}` }]);
      if (!(await ctx.store.subscribers.get(id))) throw new ApiError('NOT_FOUND', `no subscriber with id ${id}`);
      const { token, expiresAt } = tokens.issue(id, ttl);
      // The token itself is a credential: the audit row keeps only who got one, for whom and until when.
      await ctx.audit('widget_token.create', `subscriber:${id}`, { after: { subscriberId: id, expiresAt: expiresAt.toISOString() } });
      return {
        status: 201,
        body: { token, subscriberId: id, expiresAt: expiresAt.toISOString(), summaryPath: WIDGET_PATHS.summary, fragmentPath: WIDGET_PATHS.fragment },
      };
    },
  };
}
