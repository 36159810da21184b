/**
 * The dashboard: figures (online sessions, blocked accounts, payments and charges today and this month, the CoA
 * success rate, sessions started and their rate, the rating backlog) and a uPlot chart of access decisions per
 * bucket (accept, redirect, reject) for a chosen time range (GET /api/v1/dashboard?from=&to=), kept current by
 * GET /api/v1/dashboard/live (SSE `event: figures`: online sessions, decisions per second, the rating backlog).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { API, api, unwrap } from '../api/client';
import { parseEvent, type DashboardLive } from '../api/events';
import type { components } from '../api/schema';
import { ErrorNote, Money, Select, useLoad } from '../components/ui';
import { formatDuration, formatNumber } from '../format';
import { useI18n, type Key } from '../i18n';

const RANGES = { '1h': 3600_000, '6h': 6 * 3600_000, '24h': 24 * 3600_000, '7d': 7 * 24 * 3600_000 } as const;
type Range = keyof typeof RANGES;
type Point = components['schemas']['Dashboard']['decisions'][number];

export function DashboardPage() {
  const { t, intl } = useI18n();
  const [range, setRange] = useState<Range>('1h');
  const loaded = useLoad(() => unwrap(api.GET('/api/v1/dashboard', { params: { query: { from: new Date(Date.now() - RANGES[range]).toISOString(), to: new Date().toISOString() } } })), [range]);
  const [live, setLive] = useState<DashboardLive | null>(null);
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    const es = new EventSource(`${API}/dashboard/live`, { withCredentials: true });
    es.onopen = () => setConnected(true);
    es.onerror = () => setConnected(es.readyState === EventSource.OPEN);
    es.addEventListener('figures', (m: MessageEvent<string>) => {
      const figures = parseEvent<DashboardLive>(m.data);
      if (figures) setLive(figures);
    });
    return () => es.close();
  }, []);

  const data = loaded.data;
  const figure = (key: Key, value: ComponentChildren, field: string) => (
    <div class="figure">
      <dt>{t(key)}</dt>
      <dd data-field={field}>{value}</dd>
    </div>
  );
  const count = (n: number | undefined) => (n === undefined ? '—' : formatNumber(n, intl));
  const rate = data?.coa.successRate;
  // The live stream's figures are newer than the range's: they win while it is connected.
  const online = live?.onlineSessions ?? data?.onlineSessions;
  const unrated = live?.unratedRecords ?? data?.accounting.unratedRecords;
  const lag = live?.oldestUnratedSeconds ?? data?.accounting.oldestUnratedSeconds;
  return (
    <>
      <section class="card">
        <h1>{t('dashboard.title')}</h1>
        <div class="inline">
          <Select label={t('dashboard.range')} value={range} onValue={setRange} options={(Object.keys(RANGES) as Range[]).map((r) => [r, t(`range.${r}` as Key)] as const)} />
          <span class={connected ? 'badge active' : 'badge'} role="status">
            {connected ? t('dashboard.live') : t('dashboard.notLive')}
          </span>
        </div>
        <ErrorNote error={loaded.error} />
        <dl class="figures" data-section="figures">
          {figure('dashboard.online', count(online), 'online')}
          {figure('dashboard.blocked', count(data?.blockedAccounts), 'blocked')}
          {figure('dashboard.paymentsToday', <Money minor={data?.today.payments} />, 'payments-today')}
          {figure('dashboard.paymentsMonth', <Money minor={data?.month.payments} />, 'payments-month')}
          {figure('dashboard.chargesToday', <Money minor={data?.today.charges} />, 'charges-today')}
          {figure('dashboard.chargesMonth', <Money minor={data?.month.charges} />, 'charges-month')}
          {figure('dashboard.coaSuccess', rate === undefined || rate === null ? '—' : new Intl.NumberFormat(intl, { style: 'percent', maximumFractionDigits: 1 }).format(rate), 'coa-success')}
          {figure('dashboard.sessionsStarted', count(data?.accounting.sessionsStarted), 'sessions-started')}
          {figure('dashboard.sessionsPerMinute', data ? new Intl.NumberFormat(intl, { maximumFractionDigits: 2 }).format(data.accounting.sessionsPerMinute) : '—', 'sessions-per-minute')}
          {figure('dashboard.decisionsPerSecond', live ? new Intl.NumberFormat(intl, { maximumFractionDigits: 2 }).format(live.decisionsPerSecond) : '—', 'decisions-per-second')}
          {figure('dashboard.unrated', count(unrated), 'unrated')}
          {figure('dashboard.ratingLag', lag === undefined ? '—' : formatDuration(lag), 'rating-lag')}
        </dl>
        {data ? <p class="muted">{t('dashboard.timeZone', { zone: data.timeZone })}</p> : null}
      </section>
      <section class="card">
        <h2 id="chart-decisions">{t('dashboard.decisions')}</h2>
        <Chart
          labelledBy="chart-decisions"
          points={data?.decisions ?? []}
          {...(data ? { from: data.from, to: data.to } : {})}
          lines={[
            { label: t('decision.accept'), value: (p) => p.accept, stroke: '#1b7f3b' },
            { label: t('decision.redirect'), value: (p) => p.redirect, stroke: '#b26a00' },
            { label: t('decision.reject'), value: (p) => p.reject, stroke: '#b3261e' },
          ]}
        />
      </section>
    </>
  );
}

interface Line {
  readonly label: string;
  readonly value: (p: Point) => number;
  readonly stroke: string;
}

/** A uPlot time chart of the range `from`–`to` (ISO), sized to its container (it follows its width on resize). */
function Chart({ points, lines, labelledBy, from, to }: { readonly points: readonly Point[]; readonly lines: readonly Line[]; readonly labelledBy: string; readonly from?: string; readonly to?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The x axis is the range asked for, not just the buckets that had decisions (the others are left out).
  const span = useRef<{ min: number | null; max: number | null }>({ min: null, max: null });
  span.current = { min: from ? Date.parse(from) / 1000 : null, max: to ? Date.parse(to) / 1000 : null };
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
        scales: { x: { time: true, range: (_u, dataMin, dataMax) => [span.current.min ?? dataMin, span.current.max ?? dataMax] } },
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
  }, [points, from, to]);

  return <div class="chart" ref={box} role="img" aria-labelledby={labelledBy} />;
}
