/**
 * `tollgate sessions active|at|export`: open sessions, who had an IP address at an instant, and the session
 * history export (the same CSV/JSON as GET /api/v1/sessions/export) to stdout or a file.
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { ipFamily } from '../schema/index.js';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { encodeSessionExport, EXPORT_FORMATS, type ExportFormat } from '../domain/session-export.js';
import type { Session, SessionExportFilter } from '../domain/ports.js';
import { EXIT, integerOption, parseArgs, printJson, required, table, UsageError, withStore, type CliEnv } from './common.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO-8601 instant with a zone, or YYYY-MM-DD for 00:00 UTC that day. */
export function parseInstant(option: string, text: string): Date {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const date = INSTANT.test(iso) ? new Date(iso) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new UsageError(`${option} must be an ISO-8601 time with a zone such as 2025-01-31T12:00:00Z, or a day such as 2025-01-31; got ${JSON.stringify(text)}`);
  return date;
}

function ipOption(option: string, text: string): string {
  if (ipFamily(text) === 0) throw new UsageError(`${option} must be an IPv4 or IPv6 address, got ${JSON.stringify(text)}`);
  return text;
}

function printSessions(env: CliEnv, rows: readonly Session[], json: boolean): void {
  if (json) return printJson(env, rows);
  env.stdout(table(
    rows.map((s) => [s.id, s.username, s.framedIp, s.callingStationId, s.nas, s.startedAt, s.stoppedAt, s.inputOctets, s.outputOctets]),
    ['ID', 'USERNAME', 'IP', 'CALLING-STATION-ID', 'NAS', 'STARTED', 'STOPPED', 'IN-OCTETS', 'OUT-OCTETS'],
  ));
}

export async function sessionsCommand(sub: string | undefined, argv: readonly string[], env: CliEnv): Promise<number> {
  switch (sub) {
    case 'active': {
      const args = parseArgs(argv, { '--username': 'string', '--limit': 'string', '--json': 'flag' });
      const username = args.strings.get('--username');
      const limit = integerOption(args, '--limit', { min: 1, max: 10_000 }) ?? 1000;
      return withStore(env, args, async ({ store }) => {
        const page = await store.sessions.list({ active: true, ...(username === undefined ? {} : { username }) }, { limit, offset: 0 });
        printSessions(env, page.items, args.flags.has('--json'));
        if (!args.flags.has('--json') && page.total > page.items.length) env.stdout(`${page.items.length} of ${page.total} open sessions (raise --limit for more)\n`);
        return EXIT.OK;
      });
    }
    case 'at': {
      const args = parseArgs(argv, { '--ip': 'string', '--time': 'string', '--json': 'flag' });
      const ip = ipOption('--ip', required(args, '--ip', 'the Framed-IP-Address to look up'));
      const at = parseInstant('--time', required(args, '--time', 'the instant, e.g. 2025-01-31T12:00:00Z'));
      return withStore(env, args, async ({ store }) => {
        printSessions(env, await store.sessions.byIpAt(ip, at), args.flags.has('--json'));
        return EXIT.OK;
      });
    }
    case 'export':
      return exportSessions(argv, env);
    default:
      throw new UsageError(`unknown sessions subcommand ${JSON.stringify(sub ?? '')} (active, at, export)`);
  }
}

async function exportSessions(argv: readonly string[], env: CliEnv): Promise<number> {
  const args = parseArgs(argv, { '--from': 'string', '--to': 'string', '--format': 'string', '--out': 'string', '--username': 'string', '--ip': 'string' });
  const from = parseInstant('--from', required(args, '--from', 'the start of the range (inclusive)'));
  const to = parseInstant('--to', required(args, '--to', 'the end of the range (exclusive)'));
  if (to.getTime() <= from.getTime()) throw new UsageError(`--to must be after --from (from ${from.toISOString()}, to ${to.toISOString()})`);
  const format = args.strings.get('--format') ?? 'csv';
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be csv or json, got ${JSON.stringify(format)}`);
  const username = args.strings.get('--username');
  const ip = args.strings.has('--ip') ? ipOption('--ip', args.strings.get('--ip')!) : undefined;
  const filter: SessionExportFilter = { from, to, ...(username === undefined ? {} : { username }), ...(ip === undefined ? {} : { ip }) };
  const out = args.strings.get('--out');
  return withStore(env, args, async ({ store }) => {
    let count = 0;
    async function* counted(): AsyncGenerator<Session[]> {
      for await (const page of store.sessions.exportRange(filter)) {
        count += page.length;
        yield page;
      }
    }
    const chunks = Readable.from(encodeSessionExport(counted(), format as ExportFormat));
    if (out === undefined) {
      await pipeline(chunks, new Writable({ write(chunk: Buffer | string, _enc, done) { env.stdout(chunk.toString()); done(); } }));
    } else {
      try {
        await pipeline(chunks, createWriteStream(out, { flags: 'wx' }));
      } catch (err) {
        // A half-written export must not pass for a complete one (but never remove a file that was there before).
        if ((err as { code?: unknown }).code === 'EEXIST') throw new Error(`${out} exists; an export never overwrites a file, so name another --out`, { cause: err });
        await rm(out, { force: true });
        throw err;
      }
    }
    env.stderr(`exported ${count} session${count === 1 ? '' : 's'} from ${from.toISOString()} to ${to.toISOString()}${out === undefined ? '' : ` to ${out}`}\n`);
    return EXIT.OK;
  });
}
