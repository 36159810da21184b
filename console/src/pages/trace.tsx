/**
 * Live trace: the packets of one subscriber or NAS as the daemon handles them. POST /api/v1/traces starts a
 * bounded trace, GET /api/v1/traces/{id}/events streams it (server-sent events, one JSON packet per message,
 * shown attribute by attribute), DELETE /api/v1/traces/{id} stops it; a countdown shows how long it has left.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { API, api, unwrap } from '../api/client';
import { parseEvent, type TraceEvent, type TracePacket } from '../api/events';
import { ErrorNote, Field, Notice, onSubmit, useAction } from '../components/ui';
import { formatTime } from '../format';
import { useI18n } from '../i18n';

const MAX_EVENTS = 500;

function remaining(until: number): string {
  const s = Math.max(0, Math.round((until - Date.now()) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function TracePage({ username, nas }: { readonly username: string; readonly nas: string }) {
  const { t, intl } = useI18n();
  const [who, setWho] = useState(username);
  const [device, setDevice] = useState(nas);
  const [minutes, setMinutes] = useState('5');
  const [trace, setTrace] = useState<{ id: number; until: number } | null>(null);
  const [events, setEvents] = useState<TracePacket[]>([]);
  const [dropped, setDropped] = useState(0);
  const [streamState, setStreamState] = useState<'idle' | 'open' | 'closed'>('idle');
  const [, setTick] = useState(0);
  const source = useRef<EventSource | null>(null);

  const close = () => {
    source.current?.close();
    source.current = null;
    setStreamState('closed');
  };

  const start = useAction(async () => {
    const mins = Number(minutes) || 5;
    const body = { ...(who.trim() ? { username: who.trim() } : {}), ...(device.trim() ? { nas: device.trim() } : {}), minutes: mins };
    const created = await unwrap(api.POST('/api/v1/traces', { body }));
    const id = created.id;
    const until = Date.parse(created.expiresAt);
    setEvents([]);
    setDropped(0);
    setTrace({ id, until });
    const es = new EventSource(`${API}/traces/${id}/events`, { withCredentials: true });
    source.current = es;
    es.onopen = () => setStreamState('open');
    es.onmessage = (m: MessageEvent<string>) => {
      const event = parseEvent<TraceEvent>(m.data);
      // The stream also says how many events were left out (`dropped`) and that the trace ended (`end`).
      if (event?.type === 'end') close();
      else if (event?.type === 'dropped') setDropped(event.dropped);
      else if (event?.type === 'packet') setEvents((list) => [event, ...list].slice(0, MAX_EVENTS));
    };
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) close();
    };
  });

  const stop = useAction(async () => {
    const id = trace?.id;
    close();
    if (id !== undefined) await unwrap(api.DELETE('/api/v1/traces/{id}', { params: { path: { id } } }));
  });

  useEffect(() => {
    if (!trace) return;
    const timer = setInterval(() => {
      setTick((n) => n + 1);
      if (Date.now() >= trace.until) close();
    }, 1000);
    return () => clearInterval(timer);
  }, [trace]);

  useEffect(() => () => source.current?.close(), []);

  const running = streamState === 'open' || (trace !== null && streamState === 'idle');
  return (
    <>
      <form class="card" onSubmit={onSubmit(() => start.run())}>
        <h1>{t('trace.title')}</h1>
        <div class="grid">
          <Field label={t('subscriber.username')} value={who} onValue={setWho} autoComplete="off" />
          <Field label={t('common.nas')} value={device} onValue={setDevice} autoComplete="off" />
          <Field label={t('trace.minutes')} value={minutes} onValue={setMinutes} type="number" min={1} max={30} inputMode="numeric" />
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={running || start.busy}>
            {t('trace.start')}
          </button>
          <button type="button" class="danger" disabled={!running} onClick={() => stop.run()}>
            {t('trace.stop')}
          </button>
          {trace && running ? (
            <span class="countdown" role="timer" aria-label={t('trace.remaining')}>
              {t('trace.remaining')}: {remaining(trace.until)}
            </span>
          ) : null}
        </div>
        <ErrorNote error={start.error ?? stop.error} />
        {streamState === 'closed' ? <Notice>{t('trace.ended')}</Notice> : null}
        {dropped > 0 ? <Notice>{t('trace.dropped', { n: dropped })}</Notice> : null}
      </form>
      <section class="card" aria-live="polite" data-section="trace-events">
        <h2>{t('trace.packets', { n: events.length })}</h2>
        {events.length === 0 ? <p class="empty">{t('trace.waiting')}</p> : null}
        <ol class="packets">
          {events.map((e, i) => (
            <li key={`${e.at}-${e.identifier}-${i}`} class={`packet ${e.direction}`}>
              <p class="packet-head">
                <time dateTime={e.at}>{formatTime(e.at, intl)}</time> <strong>{e.code}</strong> {e.direction === 'in' ? '←' : '→'} {e.nas ?? e.client} · id {e.identifier}
                {e.dropped ? ` · ${t('trace.droppedPacket', { reason: e.dropped })}` : ''}
                {e.replayed ? ` · ${t('trace.replayed')}` : ''}
              </p>
              <dl class="attrs">
                {e.attributes.map((a, j) => (
                  <div key={j}>
                    <dt>{a.vendor ? `${a.vendor} ${a.name}` : a.name}</dt>
                    <dd>{a.value}</dd>
                  </div>
                ))}
              </dl>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
