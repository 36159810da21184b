import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { workerCount } from '../../../src/config/workers.js';
import { workersLogFields } from '../../../src/main.js';

const PG = 'postgres://tollgate@127.0.0.1:5432/tollgate';
// No configuration file: the development defaults, as a user starting the daemon with only variables gets.
const load = (env: Record<string, string>) => loadConfig({ env, cwd: mkdtempSync(join(tmpdir(), 'tg-workers-')) }).config;

describe('radius.workers', () => {
  it('defaults to one per core when PostgreSQL is configured (TOLLGATE_DATABASE_URL only)', () => {
    const config = load({ TOLLGATE_DATABASE_URL: PG });
    expect(config.radius.workers).toBeUndefined();
    expect(workerCount(config, 2)).toEqual({ count: 2, source: 'default', reason: 'one per core (2) on PostgreSQL (database.url)' });
    expect(workerCount(config, 8).count).toBe(8);
    // More cores than the cluster allows: the schema's ceiling.
    expect(workerCount(config, 200).count).toBe(64);
  });

  it('defaults to one process on the embedded database', () => {
    const config = load({});
    expect(config.database.url).toBeUndefined();
    expect(workerCount(config, 8)).toEqual({ count: 1, source: 'default', reason: 'one process: the embedded database lives in one process' });
  });

  it('an explicit setting wins over the default, from the file or the environment', () => {
    expect(workerCount(load({ TOLLGATE_DATABASE_URL: PG, TOLLGATE_WORKERS: '1' }), 8)).toEqual({ count: 1, source: 'explicit', reason: 'radius.workers 1' });
    expect(workerCount(load({ TOLLGATE_DATABASE_URL: PG, TOLLGATE_WORKERS: '3' }), 8)).toMatchObject({ count: 3, source: 'explicit' });
    expect(workerCount(load({ TOLLGATE_DATABASE_URL: PG, TOLLGATE_WORKERS: '0' }), 4)).toEqual({ count: 4, source: 'explicit', reason: 'radius.workers 0: one per core (4)' });
    expect(workerCount(load({ TOLLGATE_WORKERS: '1' }), 4)).toMatchObject({ count: 1, source: 'explicit' });
  });

  it('more than one worker on the embedded database is still refused, naming the key', () => {
    expect(() => load({ TOLLGATE_WORKERS: '2' })).toThrow(/radius\.workers: more than one worker needs database\.url/);
    expect(() => load({ TOLLGATE_WORKERS: '0' })).toThrow(/radius\.workers: more than one worker needs database\.url/);
  });

  it('the start-up line says how many and why', () => {
    const config = load({ TOLLGATE_DATABASE_URL: PG });
    expect(workersLogFields(workerCount(config, 2))).toEqual({ workers: 2, workersSource: 'default', workersReason: 'one per core (2) on PostgreSQL (database.url)' });
    expect(workersLogFields(workerCount(load({ TOLLGATE_DATABASE_URL: PG, TOLLGATE_WORKERS: '1' }), 2))).toMatchObject({ workers: 1, workersSource: 'explicit' });
  });
});
