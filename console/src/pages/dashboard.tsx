/**
 * The dashboard: figures (online sessions, blocked accounts, payments and charges today and this month, the CoA
 * success rate) and two uPlot charts, decisions per minute (accept, redirect, reject) and the accounting rate,
 * for a chosen time range (GET /api/v1/dashboard?from=&to=), kept current by GET /api/v1/dashboard/live (SSE:
 * each message carries the figures and/or the newest per-minute points).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { API, call, query } from '../api/client';
import type { Dashboard } from '../api/pending';
import { ErrorNote, Money, Select, useLoad } from '../components/ui';
import { formatNumber } from '../format';
import { useI18n, type Key } from '../i18n';

const RANGES = { '1h': 3600_000, '6h': 6 * 3600_000, '24h': 24 * 3600_000, '7d': 7 * 24 * 3600_000 } as const;
type Range = keyof typeof RANGES;
type Point = NonNullable<Dashboard['series']>[number];

function merge(base: Dashboard, update: Dashboard, fromMs: number): Dashboard {
  const points = new Map<string, Point>();
  for (const p of [...(base.series ?? []), ...(update.series ?? [])]) if (Date.parse(p.at) >= fromMs) points.set(p.at, p);
  return { ...base, ...update, series: [...points.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)) };
}

export function DashboardPage() {
  const { t, intl } = useI18n();
  const [range, setRange] = useState<Range>('1h');
  const [now] = useState(() => Date.now());
  const loaded = useLoad(() => call<Dashboard>('GET', `/dashboard${query({ from: new Date(Date.now() - RANGES[range]).toISOString(), to: new Date().toISOString() })}`), [range, now]);
  const [data, setData] = useState<Dashboard | null>(null);
  const [live, setLive] = useState(false);

  useEffect(() => setData(loaded.data ?? null), [loaded.data]);

  useEffect(() => {
    if (!loaded.data) return;
    const es = new EventSource(`${API}/dashboard/live`, { withCredentials: true });
    es.onopen = () => setLive(true);
    es.onerror = () => setLive(es.readyState === EventSource.OPEN);
    es.onmessage = (m: MessageEvent<string>) => {
      try {
        const update = JSON.parse(m.data) as Dashboard;
        setData((cur) => merge(cur ?? {}, update, Date.now() - RANGES[range]));
      } catch {
        // Not a figures message (a keep-alive): nothing to show.
      }
    };
    return () => es.close();
  }, [loaded.data, range]);

  const figure = (key: Key, value: ComponentChildren) => (
    <div class="figure">
      <dt>{t(key)}</dt>
      <dd>{value}</dd>
    </div>
  );
  const count = (n: number | undefined) => (n === undefined ? '—' : formatNumber(n, intl));
  const series = data?.series ?? [];
  return (
    <>
      <section class="card">
        <h1>{t('dashboard.title')}</h1>
        <div class="inline">
          <Select label={t('dashboard.range')} value={range} onValue={setRange} options={(Object.keys(RANGES) as Range[]).map((r) => [r, t(`range.${r}` as Key)] as const)} />
          <span class={live ? 'badge active' : 'badge'} role="status">
            {live ? t('dashboard.live') : t('dashboard.notLive')}
          </span>
        </div>
        <ErrorNote error={loaded.error} />
        <dl class="figures" data-section="figures">
          {figure('dashboard.online', count(data?.online))}
          {figure('dashboard.blocked', count(data?.blocked))}
          {figure('dashboard.paymentsToday', <Money minor={data?.paymentsToday} />)}
          {figure('dashboard.paymentsMonth', <Money minor={data?.paymentsMonth} />)}
          {figure('dashboard.chargesToday', <Money minor={data?.chargesToday} />)}
          {figure('dashboard.chargesMonth', <Money minor={data?.chargesMonth} />)}
          {figure('dashboard.coaSuccess', data?.coaSuccess === undefined || data.coaSuccess === null ? '—' : new Intl.NumberFormat(intl, { style: 'percent', maximumFractionDigits: 1 }).format(data.coaSuccess))}
        </dl>
      </section>
      <section class="card">
        <h2 id="chart-decisions">{t('dashboard.decisions')}</h2>
        <Chart
          labelledBy="chart-decisions"
          points={series}
          lines={[
            { label: t('decision.accept'), value: (p) => p.accept, stroke: '#1b7f3b' },
            { label: t('decision.redirect'), value: (p) => p.redirect, stroke: '#b26a00' },
            { label: t('decision.reject'), value: (p) => p.reject, stroke: '#b3261e' },
          ]}
        />
      </section>
      <section class="card">
        <h2 id="chart-accounting">{t('dashboard.accounting')}</h2>
        <Chart labelledBy="chart-accounting" points={series} lines={[{ label: t('dashboard.accountingPerMinute'), value: (p) => p.accounting, stroke: '#2456a6' }]} />
      </section>
    </>
  );
}

interface Line {
  readonly label: string;
  readonly value: (p: Point) => number;
  readonly stroke: string;
}

/** A uPlot time chart sized to its container (it follows the container's width on resize). */
function Chart({ points, lines, labelledBy }: { readonly points: readonly Point[]; readonly lines: readonly Line[]; readonly labelledBy: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = (): uPlot.AlignedData => [points.map((p) => Date.parse(p.at) / 1000), ...lines.map((l) => points.map(l.value))];

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = () => Math.max(240, el.clientWidth);
    plot.current = new uPlot(
      {
        width: width(),
        height: 220,
        series: [{}, ...lines.map((l) => ({ label: l.label, stroke: l.stroke, width: 2 }))],
        axes: [{}, { size: 50 }],
        legend: { live: false },
        cursor: { show: true },
      },
      data(),
      el,
    );
    const observer = new ResizeObserver(() => plot.current?.setSize({ width: width(), height: 220 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // The lines' labels change with the language: rebuild then.
  }, [lines.map((l) => l.label).join('|')]);

  useEffect(() => {
    plot.current?.setData(data());
  }, [points]);

  return <div class="chart" ref={box} role="img" aria-labelledby={labelledBy} />;
}
