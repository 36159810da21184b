/**
 * Simultaneous-Use counts in memory (src/aaa/open-sessions.ts): answered without the database below the limit,
 * confirmed by it at the limit (and corrected from its answer), kept by the rater's session events, and not
 * trusted from a feed outage until reloaded. The repository here is a list of rows with the counting query's
 * rule (open, fresh, NAS not restarted since); the real query is tested in test/contract/sessions.contract.ts.
 */
import { describe, expect, it } from 'vitest';
import { MEMORY_MARGIN_SECONDS, OpenSessions, type OpenSessionsRepository } from '../../../src/aaa/open-sessions.js';
import type { ChangeEvent, ChangeSource, OpenSession, SessionChanges, StaleLimits } from '../../../src/domain/ports.js';
import { simultaneousUseChecks, simultaneousUseOverturned, Tally } from '../../../src/observability/metrics.js';
import { captureLog } from '../../helpers/log.js';

const STALE = 1200;
const NOW = 1_800_000_000_000;
const nowS = NOW / 1000;

/** The database's sessions, and every query asked of it. */
class Rows implements OpenSessionsRepository {
  sessions: OpenSession[] = [];
  queries: string[] = [];
  loads = 0;
  failLoads = 0;
  /** Held confirmations, answered when released. */
  gate: Promise<void> | null = null;
  /** Holds the next load's answer until released. */
  loadGate: Promise<void> | null = null;

  constructor(private readonly clock: () => number) {}

  /** What the store's query counts: heard from within the session's NAS's limit. */
  private counted(limits: StaleLimits | number): OpenSession[] {
    const l = typeof limits === 'number' ? { defaultSeconds: limits, byNas: {} } : limits;
    return this.sessions.filter((s) => s.updatedAt >= this.clock() / 1000 - (l.byNas[s.nas] ?? l.defaultSeconds));
  }

  async countedSessions(username: string, limits: StaleLimits | number): Promise<OpenSession[]> {
    this.queries.push(username);
    const answer = this.counted(limits).filter((s) => s.username === username);
    if (this.gate) await this.gate;
    return answer;
  }

  async allCountedSessions(limits: StaleLimits | number): Promise<OpenSession[]> {
    this.loads++;
    const all = this.counted(limits);
    const gate = this.loadGate;
    this.loadGate = null;
    await (gate ?? Promise.resolve());
    if (this.failLoads > 0) {
      this.failLoads--;
      throw new Error('database away');
    }
    return all;
  }

}

/** A change source in this process, with an outage to play. */
class Feed implements ChangeSource {
  private handlers: ((e: ChangeEvent) => void)[] = [];
  private resyncs: (() => void)[] = [];
  subscribe(handler: (e: ChangeEvent) => void): Promise<void> {
    this.handlers.push(handler);
    return Promise.resolve();
  }
  onResync(handler: () => void): void {
    this.resyncs.push(handler);
  }
  publish(changes: Partial<SessionChanges>): void {
    const event: ChangeEvent = { kind: 'sessions', nasRestarts: [], closed: [], open: [], ...changes };
    for (const h of this.handlers) h(event);
  }
  resync(): void {
    for (const h of this.resyncs) h();
  }
}

function setup(options: { now?: () => number; byNas?: Record<string, number> } = {}) {
  let now = NOW;
  const clock = options.now ?? (() => now);
  const rows = new Rows(clock);
  const feed = new Feed();
  const { log, lines } = captureLog();
  const open = new OpenSessions(rows, { staleLimits: () => ({ defaultSeconds: STALE, byNas: options.byNas ?? {} }), now: clock, retryMs: 10 }, log);
  return { rows, feed, open, lines, advance: (s: number) => void (now += s * 1000) };
}

const session = (id: number, username: string, nas = 'bras-1', updatedAt = nowS - 10): OpenSession => ({ id, username, nas, updatedAt });
const counts = () => ({
  memory: Tally.of(simultaneousUseChecks, 'memory').count,
  database: Tally.of(simultaneousUseChecks, 'database').count,
  overturned: Tally.of(simultaneousUseOverturned).count,
});
const delta = (before: ReturnType<typeof counts>) => {
  const after = counts();
  return { memory: after.memory - before.memory, database: after.database - before.database, overturned: after.overturned - before.overturned };
};

describe('OpenSessions', () => {
  it('answers below the limit from memory, synchronously, without a query', async () => {
    const { rows, open } = setup();
    rows.sessions = [session(1, 'alice'), session(2, 'bob'), session(3, 'bob'), session(4, 'carol')];
    expect(await open.load()).toMatchObject({ sessions: 4 });
    const before = counts();
    expect(open.admits('alice', 2)).toBe(true);
    expect(open.admits('bob', 3)).toBe(true);
    expect(open.admits('nobody', 1)).toBe(true);
    expect(rows.queries).toEqual([]);
    expect(delta(before)).toEqual({ memory: 3, database: 0, overturned: 0 });
  });

  it('confirms a reject with the database, which agrees', async () => {
    const { rows, open } = setup();
    rows.sessions = [session(1, 'alice')];
    await open.load();
    const before = counts();
    const answer = open.admits('alice', 1);
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toBe(false);
    expect(rows.queries).toEqual(['alice']);
    expect(delta(before)).toEqual({ memory: 0, database: 1, overturned: 0 });
  });

  it('a stale high count costs one query, not a false reject, and memory takes the answer', async () => {
    const { rows, open } = setup();
    rows.sessions = [session(1, 'alice')];
    await open.load();
    rows.sessions = []; // closed in the database; the event never came
    const before = counts();
    expect(await open.admits('alice', 1)).toBe(true);
    expect(delta(before)).toEqual({ memory: 0, database: 1, overturned: 1 });
    expect(open.count('alice')).toBe(0);
    expect(open.admits('alice', 1)).toBe(true);
    expect(rows.queries).toEqual(['alice']);
  });

  it('corrects memory in the other direction too when the database knows more', async () => {
    const { rows, open } = setup();
    rows.sessions = [session(1, 'alice')];
    await open.load();
    rows.sessions.push(session(2, 'alice'), session(3, 'alice'));
    expect(await open.admits('alice', 1)).toBe(false);
    expect(open.count('alice')).toBe(3);
  });

  it('coalesces concurrent confirmations of one username into one query', async () => {
    const { rows, open } = setup();
    rows.sessions = [session(1, 'alice')];
    await open.load();
    const answers = await Promise.all([open.admits('alice', 1), open.admits('alice', 1), open.admits('alice', 1)]);
    expect(answers).toEqual([false, false, false]);
    expect(rows.queries).toEqual(['alice']);
  });

  it('follows the rater: opened, refreshed and closed sessions, and a NAS restart', async () => {
    const { open, feed } = setup();
    await open.follow(feed);
    await open.load();
    feed.publish({ open: [[1, 'alice', 'bras-1', nowS], [2, 'bob', 'bras-2', nowS], [3, 'bob', 'bras-1', nowS]] });
    expect([open.count('alice'), open.count('bob'), open.size]).toEqual([1, 2, 3]);
    feed.publish({ open: [[1, 'alice', 'bras-1', nowS + 300]] }); // an Interim: the same session
    expect(open.count('alice')).toBe(1);
    feed.publish({ closed: [[2, 'bob']] });
    expect(open.count('bob')).toBe(1);
    // bras-1 rebooted; a new session of alice came up on it after the Accounting-On, in the same pass.
    feed.publish({ nasRestarts: ['bras-1'], open: [[9, 'alice', 'bras-1', nowS + 301]] });
    expect([open.count('alice'), open.count('bob'), open.size]).toEqual([1, 0, 1]);
    feed.publish({ closed: [[9, 'alice'], [77, 'alice']] }); // an unknown id is nothing
    expect(open.size).toBe(0);
  });

  it('an event touches only the subscriber it names (a session is its id and its username)', async () => {
    const { open, feed } = setup();
    await open.follow(feed);
    await open.load();
    feed.publish({ open: [[1, 'alice', 'bras-1', nowS]] });
    feed.publish({ open: [[1, 'mallory', 'bras-1', nowS]], closed: [[1, 'eve']] });
    expect([open.count('alice'), open.count('mallory'), open.size]).toEqual([1, 1, 2]);
    feed.publish({ closed: [[1, 'mallory']] });
    expect([open.count('alice'), open.count('mallory'), open.size]).toEqual([1, 0, 1]);
  });

  it('does not count a session silent beyond the stale limit (plus the clock margin)', async () => {
    const { rows, open, advance } = setup();
    rows.sessions = [session(1, 'alice', 'bras-1', nowS)];
    await open.load();
    advance(STALE + MEMORY_MARGIN_SECONDS);
    expect(open.count('alice')).toBe(1);
    advance(1);
    expect(open.count('alice')).toBe(0);
    expect(open.admits('alice', 1)).toBe(true);
    expect(rows.queries).toEqual([]);
  });

  it("each NAS's own limit: a session on a NAS reporting every 900 s still counts where the default would drop it", async () => {
    const { rows, open, advance } = setup({ byNas: { 'bras-slow': 4 * 900, 'bras-fast': 4 * 60 } });
    rows.sessions = [session(1, 'alice', 'bras-slow', nowS), session(2, 'bob', 'bras-fast', nowS), session(3, 'carol', 'bras-1', nowS)];
    await open.load();
    advance(4 * 60 + MEMORY_MARGIN_SECONDS + 1);
    expect([open.count('alice'), open.count('bob'), open.count('carol')]).toEqual([1, 0, 1]);
    advance(STALE);
    expect([open.count('alice'), open.count('bob'), open.count('carol')]).toEqual([1, 0, 0]);
    // At the limit on the slow NAS: a second session of alice is refused (the database agrees), not let in.
    expect(await open.admits('alice', 1)).toBe(false);
    advance(4 * 900);
    expect(open.count('alice')).toBe(0);
  });

  it('forgets the sessions past the stale limit (the sweep closes them without an event)', async () => {
    const { rows, open, feed, advance } = setup();
    rows.sessions = [session(1, 'alice', 'bras-1', nowS), session(2, 'bob', 'bras-1', nowS + 600)];
    await open.load();
    await open.follow(feed);
    advance(STALE + MEMORY_MARGIN_SECONDS + 1);
    expect(open.prune()).toBe(1);
    expect([open.size, open.count('bob')]).toEqual([1, 1]);
    // An Interim after all: the session is back.
    feed.publish({ open: [[1, 'alice', 'bras-1', nowS + STALE + MEMORY_MARGIN_SECONDS]] });
    expect(open.count('alice')).toBe(1);
    open.stop();
  });

  it('a session memory still counts but the database finds stale is overturned by the query', async () => {
    const { rows, open, advance } = setup();
    rows.sessions = [session(1, 'alice', 'bras-1', nowS)];
    await open.load();
    advance(STALE + 1); // the database's limit is passed, memory's margin is not
    expect(await open.admits('alice', 1)).toBe(true);
    expect(open.count('alice')).toBe(0);
  });

  it('keeps its own view when an event touched the user while the query ran', async () => {
    const { rows, open, feed } = setup();
    await open.follow(feed);
    rows.sessions = [session(1, 'alice')];
    await open.load();
    let release = (): void => undefined;
    rows.gate = new Promise((r) => (release = r));
    const answer = open.admits('alice', 2) as boolean; // below the limit: memory
    expect(answer).toBe(true);
    feed.publish({ open: [[2, 'alice', 'bras-1', nowS]] });
    rows.sessions = [session(1, 'alice'), session(2, 'alice')];
    const confirming = open.admits('alice', 2);
    expect(confirming).toBeInstanceOf(Promise);
    // The database answered from before session 3 opened; the event for it arrives while the query runs.
    feed.publish({ open: [[3, 'alice', 'bras-1', nowS]] });
    release();
    expect(await confirming).toBe(false);
    expect(open.count('alice')).toBe(3);
  });

  it('events published while it loads reach the table being loaded', async () => {
    const { rows, open, feed } = setup();
    await open.follow(feed);
    rows.sessions = [session(1, 'alice'), session(2, 'bob'), session(3, 'carol')];
    const loading = open.load();
    feed.publish({ open: [[4, 'dave', 'bras-1', nowS]] }); // committed after the load's query read its rows
    await loading;
    expect([open.count('alice'), open.count('bob'), open.count('carol'), open.count('dave')]).toEqual([1, 1, 1, 1]);
  });

  it('asks the database for every check from a feed outage until the reload, and retries a failed reload', async () => {
    const { rows, open, feed, lines } = setup();
    await open.follow(feed);
    await open.load();
    expect(open.isTrusted).toBe(true);
    rows.failLoads = 1;
    rows.sessions = [session(5, 'alice')]; // opened while the feed was down
    feed.resync();
    expect(open.isTrusted).toBe(false);
    const before = counts();
    expect(await open.admits('alice', 1)).toBe(false);
    expect(await open.admits('bob', 1)).toBe(true);
    expect(delta(before)).toEqual({ memory: 0, database: 2, overturned: 0 });
    await expect.poll(() => open.isTrusted).toBe(true);
    expect(rows.loads).toBe(3);
    expect(lines.some((l) => String(l.msg).includes('could not reload open sessions'))).toBe(true);
    expect(open.count('alice')).toBe(1);
    expect(open.admits('bob', 1)).toBe(true);
    open.stop();
  });

  it('of two loads running at once, the later one is kept', async () => {
    const { rows, open, feed } = setup();
    await open.follow(feed);
    rows.sessions = [session(1, 'alice')];
    let release = (): void => undefined;
    rows.loadGate = new Promise((r) => (release = r));
    const first = open.load();
    rows.sessions = [session(2, 'bob')];
    feed.resync(); // another outage: a second load reads the database again
    await expect.poll(() => open.isTrusted).toBe(true);
    release();
    await first;
    expect([open.count('alice'), open.count('bob')]).toEqual([0, 1]);
    open.stop();
  });

  it('is not trusted before its first load', () => {
    const { open } = setup();
    expect(open.isTrusted).toBe(false);
    expect(open.admits('alice', 1)).toBeInstanceOf(Promise);
  });
});
