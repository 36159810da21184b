/**
 * One list of what the process runs. Each component is started in the order the composition root starts it
 * and stopped in the reverse order, so what a component uses is still there while it stops (the rater drains
 * before the database closes, the RADIUS listener drains before the journal flushes). A start that fails stops
 * what was already started and rethrows.
 *
 * Stop is bounded: each component may drain for `componentMs` (shutdown.drainTimeoutMs) and has `closeMs` more
 * to close; all the drains together get `totalMs`. A component that overruns is logged and left behind, and the
 * next one stops. Once the total is used up, the components still to stop (the cache and database connections,
 * which close in milliseconds) get `closeMs` each, so nothing is left open that could have been closed.
 */
import type { Logger } from '../observability/logger.js';

export interface Component {
  /** For the logs: which component was slow or failed. */
  readonly name: string;
  start?(): Promise<void> | void;
  /** `budgetMs`: how long this stop may take (drains pass it on); the lifecycle moves on after it. */
  stop?(budgetMs: number): Promise<void> | void;
}

export interface StopBounds {
  /** Per component (shutdown.drainTimeoutMs). */
  readonly componentMs: number;
  /** All the drains together. */
  readonly totalMs: number;
  /** What a component has to close after its drain (default 500 ms). */
  readonly closeMs?: number;
}

/** The default bound on the whole stop: two drains (RADIUS requests in flight, rating) and a second of closing. */
export function stopBounds(drainTimeoutMs: number): StopBounds {
  return { componentMs: drainTimeoutMs, totalMs: 2 * drainTimeoutMs + 1000 };
}

/**
 * When the process exits whatever the stop is doing (main.ts): the bound on the drains, every component's close
 * and a margin. Service managers should allow more before their SIGKILL (2 × drainTimeoutMs + 10 s).
 */
export function hardStopMs(drainTimeoutMs: number): number {
  return stopBounds(drainTimeoutMs).totalMs + 5000;
}

export class Lifecycle {
  private readonly started: Component[] = [];
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly log: Logger,
    /** Read at stop time: a reload may have changed the drain timeout. */
    private readonly bounds: () => StopBounds,
  ) {}

  /** The components started so far, in start order. */
  get names(): string[] {
    return this.started.map((c) => c.name);
  }

  /** Starts `component` now and registers it for stop; returns it. Refused once stopping. */
  async start<T extends Component>(component: T): Promise<T> {
    if (this.stopping) throw new Error(`${component.name}: cannot start, the application is stopping`);
    await component.start?.();
    this.started.push(component);
    return component;
  }

  /**
   * Runs `build` (a sequence of start() calls); when it throws, stops what it started, in reverse, and
   * rethrows the start-up error.
   */
  async build<T>(build: () => Promise<T>): Promise<T> {
    try {
      return await build();
    } catch (err) {
      await this.stop().catch((stopErr: unknown) => this.log.error({ err: stopErr }, 'error while stopping after a failed start'));
      throw err;
    }
  }

  /** Stops every started component in reverse order, within the bounds. Idempotent: later calls wait for the first. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    const { componentMs, totalMs, closeMs = 500 } = this.bounds();
    const deadline = Date.now() + totalMs;
    const failures: unknown[] = [];
    for (const component of this.started.slice().reverse()) {
      if (!component.stop) continue;
      const budget = Math.max(0, Math.min(componentMs, deadline - Date.now()));
      const started = Date.now();
      const outcome = await settleWithin(Promise.resolve().then(() => component.stop?.(budget)), budget + closeMs);
      if (outcome.kind === 'timeout') {
        this.log.warn({ component: component.name, budgetMs: budget + closeMs }, 'component did not stop in time; continuing the shutdown without it');
      } else if (outcome.kind === 'error') {
        failures.push(outcome.error);
        this.log.error({ err: outcome.error, component: component.name }, 'component failed to stop cleanly');
      } else if (Date.now() - started > 1000) {
        this.log.info({ component: component.name, ms: Date.now() - started }, 'component stopped');
      }
    }
    this.started.length = 0;
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} component(s) failed to stop cleanly`);
  }
}

type Outcome = { kind: 'done' } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

async function settleWithin(p: Promise<unknown>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
  });
  try {
    return await Promise.race([p.then((): Outcome => ({ kind: 'done' }), (error: unknown): Outcome => ({ kind: 'error', error })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
