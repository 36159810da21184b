/**
 * The payloads of the two event streams, which openapi-fetch does not read (the console opens them with
 * EventSource): each is a component schema of the OpenAPI document, so schema.d.ts types them too.
 * GET /api/v1/traces/{id}/events sends TraceEvent as unnamed `data:` lines; GET /api/v1/dashboard/live sends
 * DashboardLive as `event: figures`.
 */
import type { components } from './schema';

export type TraceEvent = components['schemas']['TraceEvent'];
/** A request or reply of the traced subscriber or NAS, decoded attribute by attribute (secrets hidden). */
export type TracePacket = Extract<TraceEvent, { type: 'packet' }>;
export type DashboardLive = components['schemas']['DashboardLive'];

/** The JSON of a message, or undefined when it is not JSON (nothing to show). */
export function parseEvent<T>(data: string): T | undefined {
  try {
    return JSON.parse(data) as T;
  } catch {
    return undefined;
  }
}
