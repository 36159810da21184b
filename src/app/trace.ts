/**
 * How live traces travel (docs/console.md "Live trace"). The hub (transport/trace-hub.ts) lives where the admin API
 * does — the single process, or the cluster primary; a tap (transport/trace-tap.ts) in every process serving RADIUS.
 *
 * - One process (embedded mode, or `radius.workers: 1`): the hub tells the tap its traces and the tap hands its
 *   events to the hub, in-process.
 * - node:cluster: the primary sends the whole set of traces to every worker on each change (`trace-specs`), and to
 *   a worker that says `trace-hello` once its tap is attached (a worker started or restarted later); workers send
 *   their events to the primary (`trace-event`). Messages are the JSON of the cluster IPC channel; other modules'
 *   messages have other `type`s and are left alone.
 * - Other instances: the hub announces its traces on the HotCache channel `trace:control` (Redis:
 *   `tollgate:trace:control`) on each change and every few seconds, and answers a `hello`; an event for a trace
 *   another instance serves is published on `trace:events` as `<trace id> <json>`, and only the instance serving
 *   that id decodes it. Workers never subscribe to these channels (without Redis the cluster relay would deliver
 *   the primary's publishes to them).
 */
import cluster, { type Worker } from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { TraceSpec } from '../domain/trace.js';
import { TraceHub, type TraceControlMessage } from '../transport/trace-hub.js';
import { TraceTap, type TapEvent } from '../transport/trace-tap.js';
import type { AppContext } from './context.js';

export const TRACE_CONTROL_CHANNEL = 'trace:control';
export const TRACE_EVENTS_CHANNEL = 'trace:events';

type ToPrimary = { readonly type: 'trace-hello' } | { readonly type: 'trace-event'; readonly event: TapEvent };
type ToWorker = { readonly type: 'trace-specs'; readonly specs: readonly TraceSpec[] };

function hasType(msg: unknown, types: readonly string[]): boolean {
  return typeof msg === 'object' && msg !== null && types.includes((msg as { type?: unknown }).type as string);
}

export interface Traces {
  /** The hub, where the admin API runs. */
  readonly hub: TraceHub | null;
  /** The tap, where RADIUS is served: attached to the request path by the RADIUS role. */
  readonly tap: TraceTap | null;
}

export interface TraceOptions {
  readonly admin: boolean;
  readonly radius: boolean;
  readonly cluster: 'primary' | 'worker' | undefined;
}

/** Builds the hub and the tap this process needs and connects them; the hub's lifecycle is registered by `register`. */
export function createTraces(ctx: AppContext, options: TraceOptions): Traces & { register(): Promise<void> } {
  const { log, cache } = ctx;
  const seenBy = `${hostname()}/${process.pid}`;
  let tap: TraceTap | null = null;
  let hub: TraceHub | null = null;

  const toWorker = (w: Worker | undefined, msg: ToWorker): void => {
    if (!w?.isConnected()) return;
    try {
      w.send(msg);
    } catch (err) {
      log.warn({ err, worker: w.id }, 'trace set not sent to a worker');
    }
  };

  if (options.admin) {
    const instance = randomUUID();
    hub = new TraceHub({
      instance,
      onSpecs: (specs) => {
        tap?.set(specs);
        if (options.cluster === 'primary') for (const w of Object.values(cluster.workers ?? {})) toWorker(w, { type: 'trace-specs', specs });
      },
      announce: (message) => {
        cache.publish(TRACE_CONTROL_CHANNEL, JSON.stringify(message)).catch((err: unknown) => log.warn({ err }, 'trace state not announced to other instances'));
      },
      forward: (event) => {
        cache.publish(TRACE_EVENTS_CHANNEL, `${event.trace} ${JSON.stringify(event)}`).catch(() => undefined);
      },
    });
  }
  const theHub = hub;

  if (options.radius) {
    const out =
      options.cluster === 'worker'
        ? (event: TapEvent): void => {
            if (!process.connected) return;
            try {
              process.send?.({ type: 'trace-event', event } satisfies ToPrimary);
            } catch {
              // The primary is going away: the event has nowhere to go.
            }
          }
        : (event: TapEvent): void => theHub?.deliver(event);
    tap = new TraceTap(ctx.dictionary, out, { seenBy });
  }
  const theTap = tap;

  if (options.cluster === 'worker' && theTap) {
    process.on('message', (msg: unknown) => {
      if (hasType(msg, ['trace-specs'])) theTap.set((msg as ToWorker).specs);
    });
  }
  if (options.cluster === 'primary' && theHub) {
    cluster.on('message', (worker: Worker, msg: unknown) => {
      if (!hasType(msg, ['trace-hello', 'trace-event'])) return;
      const m = msg as ToPrimary;
      if (m.type === 'trace-hello') toWorker(worker, { type: 'trace-specs', specs: theHub.specs() });
      else theHub.deliver(m.event);
    });
  }

  return {
    hub,
    tap,
    async register() {
      if (theTap) {
        await ctx.life.start({
          name: 'trace-tap',
          start: () => {
            if (options.cluster === 'worker' && process.connected) process.send?.({ type: 'trace-hello' } satisfies ToPrimary);
          },
          stop: () => theTap.stop(),
        });
      }
      if (!theHub) return;
      await ctx.life.start({
        name: 'traces',
        async start() {
          await cache.subscribe(TRACE_CONTROL_CHANNEL, (message) => {
            let parsed: TraceControlMessage;
            try {
              parsed = JSON.parse(message) as TraceControlMessage;
            } catch {
              return;
            }
            if (typeof parsed === 'object' && parsed !== null && typeof parsed.instance === 'string') theHub.controlMessage(parsed);
          });
          await cache.subscribe(TRACE_EVENTS_CHANNEL, (message) => {
            const space = message.indexOf(' ');
            const id = Number(message.slice(0, space));
            if (space <= 0 || !theHub.serves(id)) return;
            try {
              theHub.deliver(JSON.parse(message.slice(space + 1)) as TapEvent);
            } catch {
              // A malformed event from another instance is ignored.
            }
          });
          // After an outage of the channel, the other instances' traces are asked for again.
          cache.onResubscribed?.(() => theHub.resync());
          theHub.open();
        },
        // The event streams end (`shutdown`) before the admin listener drains.
        stop: () => theHub.close(),
      });
    },
  };
}
