/**
 * The lifecycle list: start in order, stop in reverse, each stop bounded, a failed start undone.
 */
import { describe, expect, it } from 'vitest';
import { Lifecycle, stopBounds, type Component } from '../../../src/app/lifecycle.js';
import { captureLog } from '../../helpers/log.js';

function recorder(events: string[], name: string, stop?: (budgetMs: number) => Promise<void> | void): Component {
  return {
    name,
    start: () => void events.push(`start ${name}`),
    stop: (budgetMs) => {
      events.push(`stop ${name}`);
      return stop?.(budgetMs);
    },
  };
}

describe('Lifecycle', () => {
  it('starts in order and stops in reverse; stop is idempotent', async () => {
    const { log } = captureLog();
    const events: string[] = [];
    const life = new Lifecycle(log, () => stopBounds(1000));
    for (const name of ['database', 'cache', 'rater', 'radius']) await life.start(recorder(events, name));
    expect(life.names).toEqual(['database', 'cache', 'rater', 'radius']);
    await Promise.all([life.stop(), life.stop()]);
    await life.stop();
    expect(events).toEqual(['start database', 'start cache', 'start rater', 'start radius', 'stop radius', 'stop rater', 'stop cache', 'stop database']);
    await expect(life.start(recorder(events, 'late'))).rejects.toThrow(/stopping/);
  });

  it('a stop that hangs is left behind after its budget; the others still stop, the whole within the bound', async () => {
    const { log, lines } = captureLog();
    const events: string[] = [];
    const life = new Lifecycle(log, () => ({ componentMs: 200, totalMs: 400, closeMs: 50 }));
    await life.start(recorder(events, 'database'));
    await life.start(recorder(events, 'stuck-a', () => new Promise(() => undefined)));
    await life.start(recorder(events, 'stuck-b', () => new Promise(() => undefined)));
    await life.start(recorder(events, 'stuck-c', () => new Promise(() => undefined)));
    const budgets: number[] = [];
    await life.start(recorder(events, 'drain', (b) => void budgets.push(b)));
    const started = Date.now();
    await life.stop();
    const took = Date.now() - started;
    expect(budgets).toEqual([200]);
    // stuck-c waits 200 + 50 ms, stuck-b the 150 ms left of the total + 50; then stuck-a gets closeMs only.
    expect(took).toBeGreaterThanOrEqual(500);
    expect(took).toBeLessThan(400 + 4 * 50 + 300);
    expect(events.at(-1)).toBe('stop database');
    expect(lines.filter((l) => l.msg === 'component did not stop in time; continuing the shutdown without it').map((l) => l.component)).toEqual(['stuck-c', 'stuck-b', 'stuck-a']);
  });

  it('a stop that fails is reported after every other component stopped', async () => {
    const { log } = captureLog();
    const events: string[] = [];
    const life = new Lifecycle(log, () => stopBounds(100));
    await life.start(recorder(events, 'database'));
    await life.start(recorder(events, 'broken', () => Promise.reject(new Error('boom'))));
    await expect(life.stop()).rejects.toThrow(/1 component\(s\) failed/);
    expect(events).toEqual(['start database', 'start broken', 'stop broken', 'stop database']);
  });

  it('a start that fails stops what was started, in reverse, and rethrows', async () => {
    const { log } = captureLog();
    const events: string[] = [];
    const life = new Lifecycle(log, () => stopBounds(100));
    const failing: Component = {
      name: 'radius',
      start: () => {
        throw new Error('EADDRINUSE');
      },
      stop: () => void events.push('stop radius'),
    };
    await expect(
      life.build(async () => {
        await life.start(recorder(events, 'database'));
        await life.start(recorder(events, 'rater'));
        await life.start(failing);
      }),
    ).rejects.toThrow('EADDRINUSE');
    expect(events).toEqual(['start database', 'start rater', 'stop rater', 'stop database']);
  });
});
