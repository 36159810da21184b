/**
 * Every metric that the alert rules and the Grafana dashboard query must be one Tollgate exports, with label
 * names it really has, so a renamed metric or a typo fails here instead of silently never alerting. Names
 * come from the registry of src/observability/metrics.ts with prom-client's default process metrics started
 * (as the daemon does); histograms add their _bucket/_sum/_count series.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DropReason, registry, startDefaultMetrics } from '../../../src/observability/metrics.js';
import { codeName } from '../../../src/radius/codes.js';
import { labelValuesReferences, metricReferences, type MetricReference } from './promql.js';

const root = join(import.meta.dirname, '../../..');

/**
 * Metrics from elsewhere: `up` is Prometheus's own per scrape target; `probe_success` comes from the blackbox
 * exporter probing /readyz (deploy/prometheus/prometheus.yml, job tollgate-readyz).
 */
const EXTERNAL: ReadonlyMap<string, readonly string[]> = new Map([
  ['up', []],
  ['probe_success', []],
]);

/** Labels Prometheus attaches to every scraped series (deploy/prometheus/prometheus.yml). */
const TARGET_LABELS = ['job', 'instance'];

interface Known {
  readonly labels: ReadonlySet<string>;
  readonly source: 'registry' | 'external';
}

const known = new Map<string, Known>();

beforeAll(async () => {
  startDefaultMetrics();
  for (const m of await registry.getMetricsAsJSON()) {
    const metric = registry.getSingleMetric(m.name) as unknown as { labelNames?: readonly string[] } | undefined;
    const labels = new Set([...TARGET_LABELS, ...(metric?.labelNames ?? []), ...m.values.flatMap((v) => Object.keys(v.labels))]);
    const type = String(m.type);
    if (type === 'histogram') {
      known.set(`${m.name}_bucket`, { labels: new Set([...labels, 'le']), source: 'registry' });
      known.set(`${m.name}_sum`, { labels, source: 'registry' });
      known.set(`${m.name}_count`, { labels, source: 'registry' });
    } else if (type === 'summary') {
      known.set(m.name, { labels: new Set([...labels, 'quantile']), source: 'registry' });
      known.set(`${m.name}_sum`, { labels, source: 'registry' });
      known.set(`${m.name}_count`, { labels, source: 'registry' });
    } else {
      known.set(m.name, { labels, source: 'registry' });
    }
  }
  for (const [name, labels] of EXTERNAL) known.set(name, { labels: new Set([...TARGET_LABELS, ...labels]), source: 'external' });
});

function alertExpressions(): Array<{ where: string; expr: string }> {
  const doc = parse(readFileSync(join(root, 'deploy/prometheus/alerts.yml'), 'utf8')) as {
    groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string; expr: string }> }>;
  };
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ where: `alerts.yml ${g.name}/${r.alert ?? r.record}`, expr: String(r.expr) })));
}

interface Panel {
  title?: string;
  targets?: Array<{ expr?: string }>;
  panels?: Panel[];
}

function dashboard(): { panels: Panel[]; templating: { list: Array<{ name: string; type: string; query?: unknown }> } } {
  return JSON.parse(readFileSync(join(root, 'deploy/grafana/tollgate-dashboard.json'), 'utf8')) as ReturnType<typeof dashboard>;
}

function dashboardExpressions(): Array<{ where: string; expr: string }> {
  const out: Array<{ where: string; expr: string }> = [];
  const visit = (panels: Panel[]): void => {
    for (const p of panels) {
      for (const t of p.targets ?? []) if (t.expr) out.push({ where: `dashboard panel "${p.title}"`, expr: t.expr });
      visit(p.panels ?? []);
    }
  };
  visit(dashboard().panels);
  return out;
}

function check(where: string, refs: readonly MetricReference[]): string[] {
  const problems: string[] = [];
  const codes = new Set(Array.from({ length: 256 }, (_, c) => codeName(c)).filter((n) => !n.startsWith('Code-')));
  const drops = new Set<string>(Object.values(DropReason));
  for (const ref of refs) {
    const k = known.get(ref.metric);
    if (!k) {
      problems.push(`${where}: ${ref.metric} is not a metric Tollgate registers`);
      continue;
    }
    for (const m of ref.matchers) {
      if (m.label === '__name__') continue;
      if (!k.labels.has(m.label)) problems.push(`${where}: ${ref.metric} has no label "${m.label}" (it has ${[...k.labels].join(', ')})`);
      // Label values that are a closed set in the code: packet codes and drop reasons.
      const closed = m.label === 'code' ? codes : m.label === 'reason' && ref.metric === 'tollgate_radius_dropped_total' ? drops : null;
      if (closed && (m.op === '=' || m.op === '=~')) {
        const values = m.op === '=' ? [m.value] : m.value.split('|');
        for (const v of values) if (!/[\\.*+?()[\]]/.test(v) && !closed.has(v)) problems.push(`${where}: ${ref.metric}{${m.label}="${v}"} never occurs`);
      }
    }
  }
  return problems;
}

describe('metric names in deploy/', () => {
  it('alert rules query only registered metrics and labels', () => {
    const exprs = alertExpressions();
    expect(exprs.length).toBeGreaterThan(10);
    const problems = exprs.flatMap(({ where, expr }) => check(where, metricReferences(expr)));
    expect(problems).toEqual([]);
    const names = new Set(exprs.flatMap(({ expr }) => metricReferences(expr).map((r) => r.metric)));
    // The alerts cover what the packaging issue asks for.
    for (const name of ['up', 'tollgate_ready', 'tollgate_radius_dropped_total', 'tollgate_auth_results_total', 'tollgate_coa_requests_total', 'tollgate_accounting_rating_lag_seconds', 'tollgate_accounting_journal_backlog']) {
      expect(names, name).toContain(name);
    }
  });

  it('dashboard panels and variables query only registered metrics and labels', () => {
    const exprs = dashboardExpressions();
    expect(exprs.length).toBeGreaterThan(20);
    const problems = exprs.flatMap(({ where, expr }) => check(where, metricReferences(expr)));
    for (const v of dashboard().templating.list) {
      if (v.type !== 'query') continue;
      const q = typeof v.query === 'string' ? v.query : (v.query as { query: string }).query;
      problems.push(...check(`dashboard variable $${v.name}`, labelValuesReferences(q)));
    }
    expect(problems).toEqual([]);
    const names = new Set(exprs.flatMap(({ expr }) => metricReferences(expr).map((r) => r.metric)));
    for (const name of [
      'tollgate_radius_requests_total',
      'tollgate_radius_dropped_total',
      'tollgate_radius_request_duration_seconds_bucket',
      'tollgate_radius_reply_cache_hits_total',
      'tollgate_auth_results_total',
      'tollgate_coa_requests_total',
      'tollgate_coa_rtt_seconds_bucket',
      'tollgate_auth_log_written_total',
      'tollgate_auth_log_dropped_total',
      'tollgate_subscribers_cached',
      'tollgate_accounting_rating_lag_seconds',
      'tollgate_process_cpu_seconds_total',
      'tollgate_process_resident_memory_bytes',
      'tollgate_nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(names, name).toContain(name);
    }
  });

  it('references the accounting journal gauges as registered metrics, not as outside names', () => {
    for (const name of ['tollgate_accounting_journal_backlog', 'tollgate_accounting_rating_lag_seconds']) {
      expect(known.get(name)?.source, name).toBe('registry');
    }
  });
});

describe('metricReferences', () => {
  it('finds selectors, bare names and matchers, and skips functions, keywords, durations and variables', () => {
    const refs = metricReferences(
      'sum by (instance, le) (rate(a_total{job="$job", code=~"x|y"}[$__rate_interval])) / ignoring(code) group_left b offset 1d > 0.5 and on (instance) c == 1e3',
    );
    expect(refs.map((r) => r.metric)).toEqual(['a_total', 'b', 'c']);
    expect(refs[0]!.matchers).toEqual([
      { label: 'job', op: '=', value: 'VAR' },
      { label: 'code', op: '=~', value: 'x|y' },
    ]);
    expect(metricReferences('histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))').map((r) => r.metric)).toEqual(['h_bucket']);
    expect(labelValuesReferences('label_values(m{job="$job"}, instance)').map((r) => r.metric)).toEqual(['m']);
  });
});
