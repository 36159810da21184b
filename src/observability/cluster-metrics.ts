/**
 * Metrics of a node:cluster daemon: the primary answers /metrics with its own registry and every worker's,
 * aggregated by prom-client's rules (counters summed; a metric with `aggregator: 'max'` and the like as it
 * says). prom-client's AggregatorRegistry.clusterMetrics() asks the workers only, and the primary does real
 * work (rating, fees, the API, CoA), so the request goes over this module's own IPC messages.
 */
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { registry } from './metrics.js';

type MetricsJson = Awaited<ReturnType<typeof registry.getMetricsAsJSON>>;

const REQUEST = 'tollgate:metrics-request';
const RESPONSE = 'tollgate:metrics-response';

interface MetricsRequest {
  readonly type: typeof REQUEST;
  readonly id: number;
}

interface MetricsResponse {
  readonly type: typeof RESPONSE;
  readonly id: number;
  readonly metrics: MetricsJson;
}

let requests = 0;

function ask(worker: Worker, id: number, timeoutMs: number): Promise<MetricsJson | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(null), timeoutMs);
    function onMessage(msg: unknown): void {
      const r = msg as Partial<MetricsResponse> | null;
      if (r?.type === RESPONSE && r.id === id && r.metrics) finish(r.metrics);
    }
    function finish(result: MetricsJson | null): void {
      clearTimeout(timer);
      worker.off('message', onMessage);
      resolve(result);
    }
    worker.on('message', onMessage);
    worker.send({ type: REQUEST, id } satisfies MetricsRequest, (err) => {
      if (err) finish(null);
    });
  });
}

/** In the primary: its metrics and its workers', as Prometheus text. A worker that does not answer in time is left out. */
export async function clusterMetrics(timeoutMs = 2000): Promise<string> {
  const id = ++requests;
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
  const answers = await Promise.all(workers.map((w) => ask(w, id, timeoutMs)));
  const all = [await registry.getMetricsAsJSON(), ...answers.filter((a): a is MetricsJson => a !== null)];
  return AggregatorRegistry.aggregate(all).metrics();
}

/** In a worker: answer the primary's metric requests with this process's registry. */
export function answerMetricRequests(): void {
  process.on('message', (msg: unknown) => {
    const r = msg as Partial<MetricsRequest> | null;
    if (r?.type !== REQUEST || typeof r.id !== 'number') return;
    const id = r.id;
    registry.getMetricsAsJSON().then(
      (metrics) => process.send?.({ type: RESPONSE, id, metrics } satisfies MetricsResponse),
      () => undefined,
    );
  });
}
