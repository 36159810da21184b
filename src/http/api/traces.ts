/**
 * Live packet traces (`/api/v1/traces`): start a trace of one User-Name or one NAS for 1–30 minutes, list and end
 * them, and read one's events as Server-Sent Events — every request, reply and dropped packet of the traced user
 * or NAS, decoded with the dictionary, secrets hidden (what `radiusd -X` shows, without a restart). The hub
 * (transport/trace-hub.ts, behind the domain's TraceService) holds the traces; this module only validates, bounds
 * per operator (429 TOO_MANY_REQUESTS), audits starting and ending a trace (`trace.start`, `trace.stop`) and writes
 * the stream. docs/console.md "Live trace" describes the events.
 */
import { TRACE_LIMITS, traceOwnerOf, type TraceFilter, type TraceInfo, type TraceService, type TraceStreamEvent, type TraceSubscription } from '../../domain/trace.js';
import { addressText, addressToBigInt } from '../../radius/primitives.js';
import { API_PREFIX, schemaRef } from './crud.js';
import { ApiError } from './errors.js';
import { integer, text, type JsonSchema } from './fields.js';
import { idParam, type ApiContext, type ApiRoute } from './route.js';
import { parseBody } from './validate.js';

export const TRACES_PATH = `${API_PREFIX}/traces`;

export const traceFields = {
  username: text({ description: 'Trace this RADIUS User-Name (matched exactly). Give this or nas.', maxLength: 253, example: 'alice@isp' }).optional(),
  nas: text({ description: 'Trace this NAS: its client name, or its source address (IPv4 or IPv6). Give this or username.', maxLength: 64, example: 'bras-1' }).optional(),
  minutes: integer({ description: `How long the trace runs, ${TRACE_LIMITS.minMinutes}–${TRACE_LIMITS.maxMinutes} minutes (default ${TRACE_LIMITS.defaultMinutes}).`, minimum: TRACE_LIMITS.minMinutes, maximum: TRACE_LIMITS.maxMinutes }).withDefault(TRACE_LIMITS.defaultMinutes),
};

const FILTER_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'Exactly one of username, nas (a client name) or address (a NAS source address).',
  properties: { username: { type: 'string' }, nas: { type: 'string' }, address: { type: 'string' } },
};

export const TRACE_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Trace: {
    type: 'object',
    properties: {
      id: { type: 'integer', minimum: 1 },
      filter: FILTER_SCHEMA,
      owner: { type: 'string', description: 'The login of the operator who started it.' },
      createdAt: { type: 'string', format: 'date-time' },
      expiresAt: { type: 'string', format: 'date-time' },
      events: { type: 'integer', minimum: 0, description: 'Packet events delivered so far (0 for a trace of another instance).' },
      dropped: { type: 'integer', minimum: 0, description: 'Events left out so far: over the per-trace rate, or for a stream that did not read.' },
      local: { type: 'boolean', description: 'False for a trace started on another instance: its events are read there.' },
    },
    required: ['id', 'filter', 'owner', 'createdAt', 'expiresAt', 'events', 'dropped', 'local'],
  },
  TraceList: { type: 'object', properties: { items: { type: 'array', items: schemaRef('Trace') } }, required: ['items'] },
  TraceEvent: {
    description: 'One `data:` line of the event stream (domain/trace.ts TraceStreamEvent).',
    anyOf: [
      {
        type: 'object',
        description: 'A request as received (in) or a reply as sent (out).',
        properties: {
          type: { const: 'packet' },
          trace: { type: 'integer' },
          at: { type: 'string', format: 'date-time' },
          direction: { type: 'string', enum: ['in', 'out'] },
          nas: { type: ['string', 'null'], description: 'The client entry; null for an address no entry covers.' },
          client: { type: 'string', description: 'address:port ([v6]:port).' },
          code: { type: 'string', description: 'Access-Request, Access-Accept, Accounting-Request…' },
          identifier: { type: 'integer', minimum: 0, maximum: 255 },
          length: { type: 'integer' },
          attributes: {
            type: 'array',
            items: {
              type: 'object',
              properties: { name: { type: 'string' }, vendor: { type: 'string' }, value: { type: 'string', description: 'As text; secrets as "[hidden N bytes]".' } },
              required: ['name', 'value'],
            },
          },
          dropped: { type: 'string', description: 'The drop reason of a request refused before any handler (tollgate_radius_dropped_total reason).' },
          replayed: { const: true, description: 'A reply sent again from the reply cache.' },
          seenBy: { type: 'string', description: 'host/pid of the process that saw it.' },
        },
        required: ['type', 'trace', 'at', 'direction', 'nas', 'client', 'code', 'identifier', 'length', 'attributes'],
      },
      {
        type: 'object',
        description: 'Events left out so far (over the per-trace rate, or this stream did not read).',
        properties: { type: { const: 'dropped' }, trace: { type: 'integer' }, dropped: { type: 'integer', minimum: 0 } },
        required: ['type', 'trace', 'dropped'],
      },
      {
        type: 'object',
        description: 'The trace ended; the stream closes.',
        properties: { type: { const: 'end' }, trace: { type: 'integer' }, reason: { type: 'string', enum: ['expired', 'deleted', 'shutdown'] } },
        required: ['type', 'trace', 'reason'],
      },
    ],
  },
};

/** The filter of a validated body: one of username and nas; a nas that parses as an address is matched as one. */
function filterOf(input: { username?: string; nas?: string }): TraceFilter {
  const given = [input.username === undefined ? [] : ['username'], input.nas === undefined ? [] : ['nas']].flat();
  if (given.length !== 1) {
    const message = given.length === 0 ? 'give username or nas: what to trace' : 'give username or nas, not both';
    throw ApiError.validation([{ field: 'username', message }]);
  }
  if (input.username !== undefined) {
    if (input.username.length === 0) throw ApiError.validation([{ field: 'username', message: 'username must not be empty' }]);
    return { username: input.username };
  }
  const nas = (input.nas as string).trim();
  if (nas.length === 0) throw ApiError.validation([{ field: 'nas', message: 'nas must be a client name or an address' }]);
  const address = addressToBigInt(nas);
  return address === undefined ? { nas } : { address: addressText(address.family, address.value) };
}

const notFound = (id: number): ApiError => new ApiError('NOT_FOUND', `no active trace with id ${id} on this instance`);

/** SSE frames of one subscription: the events as `data:` lines, a comment every heartbeat, until it ends. */
export function sseFrames(sub: TraceSubscription, id: number, heartbeatMs: number): AsyncIterable<string> & AsyncIterator<string> {
  let pending: Promise<TraceStreamEvent | null> | undefined;
  let opened = false;
  let done = false;
  const finish = (): IteratorResult<string> => {
    done = true;
    sub.close();
    return { done: true, value: undefined };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next(): Promise<IteratorResult<string>> {
      if (done) return { done: true, value: undefined };
      // The first frame goes out at once, so the client sees the stream open before any packet.
      if (!opened) {
        opened = true;
        return { done: false, value: `: trace ${id}\n\n` };
      }
      pending ??= sub.next();
      let timer: NodeJS.Timeout | undefined;
      const beat = new Promise<'beat'>((resolve) => {
        timer = setTimeout(() => resolve('beat'), heartbeatMs);
      });
      const got = await Promise.race([pending, beat]);
      clearTimeout(timer);
      if (got === 'beat') return { done: false, value: ': heartbeat\n\n' };
      pending = undefined;
      if (got === null) return finish();
      if (got.type === 'end') {
        done = true;
        sub.close();
      }
      return { done: false, value: `data: ${JSON.stringify(got)}\n\n` };
    },
    return(): Promise<IteratorResult<string>> {
      return Promise.resolve(finish());
    },
  };
}

export function traceRoutes(traces: TraceService | undefined, options: { heartbeatMs?: number } = {}): ApiRoute[] {
  const heartbeatMs = options.heartbeatMs ?? TRACE_LIMITS.heartbeatSeconds * 1000;
  const service = (): TraceService => {
    if (!traces) throw new ApiError('NOT_FOUND', 'live traces are not served by this process');
    return traces;
  };
  const info = (ctx: ApiContext): TraceInfo => {
    const id = idParam(ctx);
    const t = service().get(id);
    if (!t) throw notFound(id);
    return t;
  };
  return [
    {
      method: 'POST',
      permission: 'trace',
      pattern: TRACES_PATH,
      operationId: 'startTrace',
      summary: `Start a live trace of one User-Name or one NAS (at most ${TRACE_LIMITS.perOperator} per operator, ${TRACE_LIMITS.total} in all)`,
      tag: 'Traces',
      requestBody: 'TraceCreate',
      body: { shape: traceFields, mode: 'create', description: 'Exactly one of username and nas.' },
      success: { status: 201, description: 'The trace, running; read its events at /api/v1/traces/{id}/events', schema: schemaRef('Trace'), location: false },
      errors: ['VALIDATION_FAILED', 'MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE', 'TOO_MANY_REQUESTS'],
      async handle(ctx) {
        const input = parseBody(traceFields, await ctx.readBody(), 'create');
        const filter = filterOf(input);
        const result = service().start(filter, input.minutes, traceOwnerOf(ctx.actor));
        if (!result.ok) {
          const message =
            result.reason === 'operator-limit'
              ? `an operator may run at most ${result.limit} traces at once; delete one or wait for it to expire`
              : `at most ${result.limit} traces may run at once; wait for one to end`;
          throw new ApiError('TOO_MANY_REQUESTS', message);
        }
        const { trace } = result;
        try {
          // A trace shows a subscriber's traffic: who started one, on what, is in the audit log.
          await ctx.audit('trace.start', `trace:${trace.id}`, { after: { filter: trace.filter, minutes: input.minutes, expiresAt: trace.expiresAt } });
        } catch (err) {
          service().stop(trace.id);
          throw err;
        }
        return { status: 201, body: trace };
      },
    },
    {
      method: 'GET',
      permission: 'trace',
      pattern: TRACES_PATH,
      operationId: 'listTraces',
      summary: 'List the active live traces (this instance’s and those other instances announced)',
      tag: 'Traces',
      success: { status: 200, description: 'Every active trace, oldest first', schema: schemaRef('TraceList') },
      errors: [],
      handle: () => Promise.resolve({ status: 200, body: { items: traces?.list() ?? [] } }),
    },
    {
      method: 'GET',
      permission: 'trace',
      pattern: `${TRACES_PATH}/:id`,
      operationId: 'getTrace',
      summary: 'One active live trace',
      tag: 'Traces',
      success: { status: 200, description: 'The trace', schema: schemaRef('Trace') },
      errors: ['NOT_FOUND'],
      handle: (ctx) => Promise.resolve({ status: 200, body: info(ctx) }),
    },
    {
      method: 'DELETE',
      permission: 'trace',
      pattern: `${TRACES_PATH}/:id`,
      operationId: 'stopTrace',
      summary: 'End a live trace started on this instance (its event streams end); only its owner or an admin may',
      tag: 'Traces',
      success: { status: 204, description: 'Ended' },
      errors: ['NOT_FOUND', 'FORBIDDEN'],
      async handle(ctx) {
        const t = info(ctx);
        if (!t.local) throw new ApiError('NOT_FOUND', `trace ${t.id} runs on another instance; end it there`);
        if (t.owner.toLowerCase() !== ctx.actor.login.toLowerCase() && ctx.actor.role !== 'admin') {
          throw new ApiError('FORBIDDEN', `trace ${t.id} was started by ${t.owner}; only they or an admin may end it`);
        }
        await ctx.audit('trace.stop', `trace:${t.id}`, { before: { filter: t.filter, owner: t.owner, expiresAt: t.expiresAt } });
        if (!service().stop(t.id)) throw notFound(t.id);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      permission: 'trace',
      pattern: `${TRACES_PATH}/:id/events`,
      operationId: 'traceEvents',
      summary: `A live trace's events as Server-Sent Events (at most ${TRACE_LIMITS.streamsPerOperator} streams per operator)`,
      tag: 'Traces',
      success: {
        status: 200,
        description:
          `text/event-stream: each event one \`data:\` line of JSON — {type:"packet",…} (a request, reply or dropped packet), {type:"dropped",dropped} (events left out so far), {type:"end",reason} (expired, deleted, shutdown; the stream then closes). The recent events of the trace come first. A comment line every ${TRACE_LIMITS.heartbeatSeconds} s keeps the connection open.`,
        mediaTypes: { 'text/event-stream': { type: 'string', description: 'Server-Sent Events; each data line is a JSON TraceEvent (#/components/schemas/TraceEvent).' } },
      },
      errors: ['NOT_FOUND', 'TOO_MANY_REQUESTS'],
      handle(ctx) {
        const id = info(ctx).id;
        const result = service().subscribe(id, traceOwnerOf(ctx.actor));
        if (!result.ok) {
          if (result.reason === 'not-found') throw new ApiError('NOT_FOUND', `trace ${id} is served by another instance; read its events there`);
          throw new ApiError('TOO_MANY_REQUESTS', `an operator may hold at most ${result.limit ?? TRACE_LIMITS.streamsPerOperator} trace event streams open at once; close one`);
        }
        return Promise.resolve({
          status: 200,
          stream: sseFrames(result.subscription, id, heartbeatMs),
          headers: { 'content-type': 'text/event-stream; charset=utf-8', 'x-accel-buffering': 'no', connection: 'keep-alive' },
        });
      },
    },
  ];
}
