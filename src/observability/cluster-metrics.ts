/**
 * Metrics of a node:cluster daemon: the primary answers /metrics with its own registry and every worker's,
 * aggregated by prom-client's rules (counters summed; a metric with `aggregator: 'max'` and the like as it
 * says). prom-client's AggregatorRegistry.clusterMetrics() asks the workers only, and the primary does real
 * work (rating, fees, the API, CoA), so the request goes over this module's own IPC messages. The same messages
 * bring the primary its workers' Message-Authenticator counts per NAS, which the admin API shows.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { allMessageAuthenticatorCounts, registry, setMessageAuthenticatorCountsSource, type MessageAuthenticatorCounts } from './metrics.js';

type MetricsJson = Awaited<ReturnType<typeof registry.getMetricsAsJSON>>;

const REQUEST = 'tollgate:metrics-request';
const RESPONSE = 'tollgate:metrics-response';

type CountsByNas = Record<string, MessageAuthenticatorCounts>;

interface MetricsRequest {
  readonly type: typeof REQUEST;
  readonly id: number;
  /** What to send: the registry (default), or the Message-Authenticator counts per NAS. */
  readonly what?: 'registry' | 'message-authenticator';
}

interface MetricsResponse {
  readonly type: typeof RESPONSE;
  readonly id: number;
  readonly metrics?: MetricsJson;
  readonly counts?: CountsByNas;
}

let requests = 0;

function ask<T>(worker: Worker, request: MetricsRequest, pick: (r: Partial<MetricsResponse>) => T | undefined, timeoutMs: number): Promise<T | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(null), timeoutMs);
    function onMessage(msg: unknown): void {
      const r = msg as Partial<MetricsResponse> | null;
      const value = r?.type === RESPONSE && r.id === request.id ? pick(r) : undefined;
      if (value !== undefined) finish(value);
    }
    function finish(result: T | null): void {
      clearTimeout(timer);
      worker.off('message', onMessage);
      resolve(result);
    }
    worker.on('message', onMessage);
    worker.send(request, (err) => {
      if (err) finish(null);
    });
  });
}

function connectedWorkers(): Worker[] {
  return Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
}

function add(into: MessageAuthenticatorCounts, c: MessageAuthenticatorCounts): void {
  for (const state of ['first', 'present', 'absent'] as const) {
    into[state] += c[state];
    into.withProxyState[state] += c.withProxyState[state];
  }
}

/**
 * In the primary: the Message-Authenticator counts of these NAS summed over the workers (a worker that does not
 * answer in time is left out); null for a NAS no worker's client table holds.
 */
export async function clusterMessageAuthenticatorCounts(names: readonly string[], timeoutMs = 2000): Promise<Map<string, MessageAuthenticatorCounts | null>> {
  const id = ++requests;
  const answers = await Promise.all(connectedWorkers().map((w) => ask(w, { type: REQUEST, id, what: 'message-authenticator' }, (r) => r.counts, timeoutMs)));
  const sums = new Map<string, MessageAuthenticatorCounts | null>(names.map((n) => [n, null]));
  for (const answer of answers) {
    for (const name of names) {
      const c = answer?.[name];
      if (!c) continue;
      const sum = sums.get(name) ?? { first: 0, present: 0, absent: 0, withProxyState: { first: 0, present: 0, absent: 0 } };
      add(sum, c);
      sums.set(name, sum);
    }
  }
  return sums;
}

/** In the primary: the admin API shows the workers' counts (this process counts none: it serves no RADIUS). */
export function useClusterMessageAuthenticatorCounts(): void {
  setMessageAuthenticatorCountsSource((names) => clusterMessageAuthenticatorCounts(names));
}

/** In the primary: its metrics and its workers', as Prometheus text. A worker that does not answer in time is left out. */
export async function clusterMetrics(timeoutMs = 2000): Promise<string> {
  const id = ++requests;
  const answers = await Promise.all(connectedWorkers().map((w) => ask(w, { type: REQUEST, id }, (r) => r.metrics, timeoutMs)));
  const all = [await registry.getMetricsAsJSON(), ...answers.filter((a): a is MetricsJson => a !== null)];
  return AggregatorRegistry.aggregate(all).metrics();
}

/** In a worker: answer the primary's metric requests with this process's registry. */
export function answerMetricRequests(): void {
  process.on('message', (msg: unknown) => {
    const r = msg as Partial<MetricsRequest> | null;
    if (r?.type !== REQUEST || typeof r.id !== 'number') return;
    const id = r.id;
    if (r.what === 'message-authenticator') {
      process.send?.({ type: RESPONSE, id, counts: allMessageAuthenticatorCounts() } satisfies MetricsResponse);
      return;
    }
    registry.getMetricsAsJSON().then(
      (metrics) => process.send?.({ type: RESPONSE, id, metrics } satisfies MetricsResponse),
      () => undefined,
    );
  });
}
