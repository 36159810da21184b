/**
 * `tollgate import freeradius --from postgres://…`: subscribers from a FreeRADIUS SQL database (the rlm_sql
 * schema: radcheck, radreply, radusergroup, radgroupreply). What Tollgate can authenticate is imported — a
 * Cleartext-Password (PAP, CHAP, MS-CHAPv2) or an NT-Password (PAP, MS-CHAPv2); a user with only a one-way hash
 * (MD5, SHA, SSHA, Crypt, …) is skipped with the reason. Each imported user gets an account of its own.
 * Groups become tariffs: `--group-tariff GROUP=TARIFF` maps a group to an existing tariff (id or name), and
 * `--create-tariffs` creates a zero-fee tariff per unmapped group, named after it, with the speed of the group's
 * Mikrotik-Rate-Limit when it has one. A user in several groups takes the first mapped one by priority.
 * Attributes Tollgate has no place for (per-user reply attributes such as Session-Timeout or rate-limit VSAs:
 * speed comes from the tariff) are counted and reported, never silently dropped.
 *
 * NAS clients come along: from the database's `nas` table when it has one (read_clients = yes), and from
 * clients.conf files (`--clients FILE`, repeatable; also without --from). A NAS whose name or address is
 * already registered is skipped, or changed with --update. Subscribers, tariffs and NAS clients commit in one
 * transaction: all of it, or none.
 */
import { readFile } from 'node:fs/promises';
import { macAddress, openFreeRadiusSource } from '../app/cli-store.js';
import { SUBSCRIBER_STATUSES, type Nas, type SubscriberStatus } from '../domain/types.js';
import { FreeRadiusSourceError, StoreError, type ChangeEvent, type FreeRadiusSource, type Store } from '../domain/ports.js';
import { nasFromClient, nasFromSqlRow, parseClientsConf, type NasCandidate } from './clients-conf.js';
import { DataError, EXIT, parseArgs, printJson, publishChanges, UsageError, withStore, type CliEnv, type OpenedStore } from './common.js';
import { applyImport, describeReport, type ImportReport, type ImportRow } from './import-apply.js';
import { allTariffs } from './tariffs.js';

/** One-way password hashes rlm_pap understands but Tollgate cannot authenticate with. */
const UNUSABLE_PASSWORDS = new Set([
  'md5-password', 'smd5-password', 'sha-password', 'sha1-password', 'ssha-password', 'ssha1-password', 'sha2-password',
  'sha2-224-password', 'sha2-256-password', 'sha2-384-password', 'sha2-512-password', 'ssha2-224-password',
  'ssha2-256-password', 'ssha2-384-password', 'ssha2-512-password', 'crypt-password', 'lm-password', 'ns-mta-md5-password',
  'pbkdf2-password', 'password-with-header',
]);

const NO_REPLY_ATTRIBUTES = 'Tollgate subscribers have no per-user reply attributes (speed comes from the tariff, the rest from the vendor profile)';

/** An attribute left behind: in how many users' rows (radcheck, radreply) or groups' rows (radgroupreply). */
export interface Ignored {
  readonly table: 'radcheck' | 'radreply' | 'radgroupreply';
  readonly attribute: string;
  readonly count: number;
  readonly reason: string;
}

export interface FreeRadiusOptions {
  /** clients.conf files already read: name (for messages) and text. */
  readonly clientsFiles?: readonly { readonly name: string; readonly text: string }[];
  /** Group name → tariff id or name. */
  readonly groupTariffs: ReadonlyMap<string, string>;
  readonly createTariffs: boolean;
  readonly update: boolean;
  readonly dryRun: boolean;
}

/** What happened to one NAS client of clients.conf or the nas table. */
export interface NasOutcome {
  readonly where: string;
  readonly name: string;
  readonly address?: string;
  readonly action: 'created' | 'updated' | 'skipped';
  readonly reason?: string;
  readonly id?: number;
  readonly vendor?: string;
}

export interface FreeRadiusReport extends ImportReport {
  readonly nas: { readonly created: number; readonly updated: number; readonly skipped: number; readonly rows: readonly NasOutcome[]; readonly notes: readonly string[] };
  readonly skippedUsers: readonly { username: string; reason: string }[];
  readonly ignored: readonly Ignored[];
  readonly tariffsCreated: readonly { group: string; name: string; downKbps: number; upKbps: number }[];
  readonly unmappedGroups: readonly string[];
}

/** kbit/s of a MikroTik rate such as 10M, 512k, 1G, 1000000 (bit/s). */
function kbps(rate: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([kKmMgG]?)$/.exec(rate.trim());
  if (!m) return undefined;
  const factor = { '': 1 / 1000, k: 1, m: 1000, g: 1_000_000 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.round(Number(m[1]) * factor);
}

/** Mikrotik-Rate-Limit "rx/tx …" (rx: what the router receives, the subscriber's upload) → kbit/s, or undefined. */
export function mikrotikRate(value: string): { downKbps: number; upKbps: number } | undefined {
  const [first] = value.trim().split(/\s+/);
  const [rx, tx] = (first ?? '').split('/');
  const up = rx === undefined ? undefined : kbps(rx);
  const down = tx === undefined ? up : kbps(tx);
  return up === undefined || down === undefined ? undefined : { downKbps: down, upKbps: up };
}

const key = (attribute: string): string => attribute.toLowerCase();

class Tally {
  private readonly counts = new Map<string, { table: Ignored['table']; attribute: string; reason: string; users: Set<string> }>();
  add(table: Ignored['table'], attribute: string, owner: string, reason: string): void {
    const k = `${table}\u0000${attribute}\u0000${reason}`;
    const entry = this.counts.get(k) ?? { table, attribute, reason, users: new Set<string>() };
    entry.users.add(owner);
    this.counts.set(k, entry);
  }
  list(): Ignored[] {
    return [...this.counts.values()].map((e) => ({ table: e.table, attribute: e.attribute, count: e.users.size, reason: e.reason }));
  }
}

interface Planned {
  readonly rows: Omit<ImportRow, 'tariffId'>[];
  readonly groupOf: Map<string, string[]>;
  readonly skippedUsers: { username: string; reason: string }[];
  readonly tally: Tally;
}

/** The source's errors as the CLI's: a database that is not rlm_sql's is bad data (65), an unreachable one a failure (1). */
async function read<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof FreeRadiusSourceError) throw err.schema ? new DataError(err.message) : new Error(err.message, { cause: err });
    throw err;
  }
}

/** Reads the FreeRADIUS tables and turns each user into a row (tariffs resolved later), or a skip. */
async function plan(source: FreeRadiusSource | undefined): Promise<Planned> {
  const check = source ? await read(() => source.radcheck()) : [];
  const reply = source ? await read(() => source.radreply()) : [];
  const groups = source ? await read(() => source.radusergroup()) : [];
  const tally = new Tally();
  const skippedUsers: { username: string; reason: string }[] = [];
  const groupOf = new Map<string, string[]>();
  for (const g of groups) groupOf.set(g.username, [...(groupOf.get(g.username) ?? []), g.groupname]);
  const byUser = <T extends { username: string }>(rows: T[]): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.username, [...(m.get(r.username) ?? []), r]);
    return m;
  };
  const checks = byUser(check);
  const replies = byUser(reply);
  const users = [...new Set([...checks.keys(), ...replies.keys(), ...groupOf.keys()])].sort();
  const rows: Omit<ImportRow, 'tariffId'>[] = [];
  for (const username of users) {
    let password: string | undefined;
    let ntHash: string | undefined;
    const unusable: string[] = [];
    let simultaneousUse: number | undefined;
    let mac: string | undefined;
    let status: SubscriberStatus | undefined;
    for (const a of checks.get(username) ?? []) {
      const k = key(a.attribute);
      if (k === 'cleartext-password' || k === 'user-password') password = a.value;
      else if (k === 'nt-password') {
        const hex = a.value.trim().replace(/^0x/i, '');
        if (/^[0-9a-f]{32}$/i.test(hex)) ntHash = hex.toLowerCase();
        else unusable.push(`${a.attribute} (not 32 hex digits)`);
      } else if (UNUSABLE_PASSWORDS.has(k)) unusable.push(a.attribute);
      else if (k === 'simultaneous-use' && /^\d{1,9}$/.test(a.value.trim()) && Number(a.value) >= 1) simultaneousUse = Number(a.value);
      else if (k === 'calling-station-id' && a.op.trim() === '==') {
        try {
          mac = macAddress('Calling-Station-Id', a.value.trim());
        } catch {
          tally.add('radcheck', a.attribute, username, 'not a MAC address: Tollgate binds a subscriber to one MAC');
        }
      } else if (k === 'auth-type' && a.value.trim().toLowerCase() === 'reject') status = 'disabled';
      else tally.add('radcheck', a.attribute, username, 'no Tollgate equivalent; not imported');
    }
    let framedIp: string | undefined;
    let framedPool: string | undefined;
    for (const a of replies.get(username) ?? []) {
      const k = key(a.attribute);
      if (k === 'framed-ip-address') framedIp = a.value.trim();
      else if (k === 'framed-pool') framedPool = a.value.trim();
      else tally.add('radreply', a.attribute, username, NO_REPLY_ATTRIBUTES);
    }
    if (password === undefined && ntHash === undefined) {
      skippedUsers.push({
        username,
        reason: unusable.length > 0
          ? `only ${unusable.join(', ')}: Tollgate authenticates with a Cleartext-Password (PAP, CHAP, MS-CHAPv2) or an NT-Password (PAP, MS-CHAPv2)`
          : 'no password in radcheck',
      });
      continue;
    }
    if (status !== undefined && !(SUBSCRIBER_STATUSES as readonly string[]).includes(status)) status = undefined;
    rows.push({
      where: `radcheck user ${JSON.stringify(username)}`,
      username,
      ...(password === undefined ? { ntHash: ntHash! } : { password }),
      ...(framedIp === undefined ? {} : { framedIp }),
      ...(framedPool === undefined ? {} : { framedPool }),
      ...(mac === undefined ? {} : { mac }),
      ...(simultaneousUse === undefined ? {} : { simultaneousUse }),
      ...(status === undefined ? {} : { status }),
    });
  }
  return { rows, groupOf, skippedUsers, tally };
}

/** The same address as the store compares them: 10.0.0.1 and 10.0.0.1/32 are one client. */
const sameAddress = (a: string, b: string): boolean => a.replace(/\/(32|128)$/, '').toLowerCase() === b.replace(/\/(32|128)$/, '').toLowerCase();

/** Creates (or with --update changes) the NAS clients inside the import's transaction; a refusal aborts it all. */
async function applyNas(store: Store, candidates: readonly NasCandidate[], update: boolean): Promise<NasOutcome[]> {
  const existing: Nas[] = await store.nas.list();
  const out: NasOutcome[] = [];
  for (const c of candidates) {
    if (!c.ok) {
      out.push({ where: c.where, name: c.name, action: 'skipped', reason: c.reason });
      continue;
    }
    const input = { name: c.name, address: c.address, secret: c.secret, vendor: c.vendor, ...(c.requireMessageAuthenticator === undefined ? {} : { requireMessageAuthenticator: c.requireMessageAuthenticator }) };
    const found = existing.find((n) => n.name === c.name) ?? existing.find((n) => sameAddress(n.address, c.address));
    const base = { where: c.where, name: c.name, address: c.address, vendor: c.vendor };
    try {
      if (found && !update) {
        out.push({ ...base, action: 'skipped', id: found.id, reason: `NAS ${found.name} (${found.address}) exists (re-run with --update to change it)` });
      } else if (found) {
        await store.nas.update(found.id, input);
        out.push({ ...base, action: 'updated', id: found.id });
      } else {
        const created = await store.nas.create(input);
        existing.push(created);
        out.push({ ...base, action: 'created', id: created.id });
      }
    } catch (err) {
      if (err instanceof StoreError || err instanceof RangeError) {
        throw new DataError(`${c.where} (NAS ${c.name}): ${err.message}; nothing was imported`, [`${c.where}: ${err.message}`]);
      }
      throw err;
    }
  }
  return out;
}

/** Imports from a FreeRADIUS database read through `source` (when there is one) and from clients.conf files. */
export async function importFreeRadius(env: CliEnv, source: FreeRadiusSource | undefined, opened: OpenedStore, options: FreeRadiusOptions): Promise<FreeRadiusReport> {
  const planned = await plan(source);
  const nasNotes: string[] = [];
  const candidates: NasCandidate[] = [];
  for (const file of options.clientsFiles ?? []) {
    const parsed = parseClientsConf(file.text);
    nasNotes.push(...parsed.notes.map((n) => `${file.name} ${n}`));
    candidates.push(...parsed.clients.map((c) => nasFromClient(c, file.name)));
  }
  if (source) candidates.push(...((await read(() => source.nas())) ?? []).map(nasFromSqlRow));
  for (const c of candidates) if (c.ok) nasNotes.push(...c.notes.map((n) => `${c.where} (${c.name}): ${n}`));
  const usedGroups = new Set([...planned.rows].flatMap((r) => planned.groupOf.get(r.username) ?? []));
  const groupReplies = source ? await read(() => source.radgroupreply([...usedGroups])) : [];
  // Check the mapping before any write: an unknown tariff is a usage problem.
  const existing = await allTariffs(opened.store);
  const problems: string[] = [];
  const mapped = new Map<string, number>();
  for (const [group, ref] of options.groupTariffs) {
    const found = /^\d+$/.test(ref) ? existing.find((t) => t.id === Number(ref)) : existing.find((t) => t.name === ref);
    if (found) mapped.set(group, found.id);
    else problems.push(`--group-tariff ${group}=${ref}: no tariff ${/^\d+$/.test(ref) ? 'with id' : 'named'} ${ref}`);
  }
  if (problems.length > 0) throw new DataError(problems.join('; '), problems);
  const unmapped = [...usedGroups].filter((g) => !mapped.has(g)).sort();
  const tariffsCreated: FreeRadiusReport['tariffsCreated'][number][] = [];
  const ignoredGroupReplies = new Tally();
  for (const r of groupReplies) {
    const toTariff = options.createTariffs && !mapped.has(r.groupname) && key(r.attribute) === 'mikrotik-rate-limit';
    if (!toTariff) ignoredGroupReplies.add('radgroupreply', r.attribute, r.groupname, mapped.has(r.groupname) ? 'the group maps to an existing tariff, whose settings apply' : NO_REPLY_ATTRIBUTES);
  }

  let nasRows: NasOutcome[] = [];
  const resolve = async (store: Store): Promise<ImportRow[]> => {
    nasRows = await applyNas(store, candidates, options.update);
    tariffsCreated.length = 0;
    const tariffOf = new Map(mapped);
    if (options.createTariffs) {
      const byName = new Map((await allTariffs(store)).map((t) => [t.name, t.id]));
      for (const group of unmapped) {
        const rate = groupReplies.filter((r) => r.groupname === group && key(r.attribute) === 'mikrotik-rate-limit').map((r) => mikrotikRate(r.value)).find((x) => x !== undefined);
        const reuse = byName.get(group);
        if (reuse !== undefined) {
          tariffOf.set(group, reuse);
          continue;
        }
        const tariff = await store.tariffs.create({ name: group, ...(rate ?? {}) });
        tariffOf.set(group, tariff.id);
        tariffsCreated.push({ group, name: tariff.name, downKbps: tariff.downKbps, upKbps: tariff.upKbps });
      }
    }
    return planned.rows.map((row) => {
      const group = (planned.groupOf.get(row.username) ?? []).find((g) => tariffOf.has(g));
      return group === undefined ? row : { ...row, tariffId: tariffOf.get(group)! };
    });
  };
  const report = await applyImport(env, opened, resolve, { update: options.update, dryRun: options.dryRun });
  const nasCount = (a: NasOutcome['action']): number => nasRows.filter((n) => n.action === a).length;
  if (!options.dryRun && nasRows.some((n) => n.action !== 'skipped')) await publishChanges(env, opened.changes, [{ kind: 'nas' } satisfies ChangeEvent]);
  return {
    ...report,
    nas: { created: nasCount('created'), updated: nasCount('updated'), skipped: nasCount('skipped'), rows: nasRows, notes: nasNotes },
    skippedUsers: planned.skippedUsers,
    ignored: [...planned.tally.list(), ...ignoredGroupReplies.list()],
    tariffsCreated,
    unmappedGroups: options.createTariffs ? [] : unmapped,
  };
}

function describe(report: FreeRadiusReport): string {
  const extra = [
    ...report.skippedUsers.map((s) => `skipped user ${s.username}: ${s.reason}`),
    ...report.ignored.map((i) => `not imported: ${i.table} ${i.attribute} (${i.count} ${i.table === 'radgroupreply' ? 'group' : 'user'}${i.count === 1 ? '' : 's'}): ${i.reason}`),
    ...report.tariffsCreated.map((t) => `${report.dryRun ? 'would create' : 'created'} tariff ${t.name} for group ${t.group} (${t.downKbps}/${t.upKbps} kbit/s, no fee: set it with the API)`),
    ...report.nas.rows.filter((n) => n.action === 'skipped').map((n) => `skipped NAS ${n.name} (${n.where}): ${n.reason ?? ''}`),
    ...report.nas.notes,
    ...(report.nas.rows.length > 0
      ? [`NAS clients: ${report.dryRun ? 'would create' : 'created'} ${report.nas.created}, ${report.dryRun ? 'would update' : 'updated'} ${report.nas.updated}, skipped ${report.nas.skipped}`]
      : []),
    ...(report.unmappedGroups.length > 0 ? [`groups without a tariff (their users get none): ${report.unmappedGroups.join(', ')}; map them with --group-tariff GROUP=TARIFF or --create-tariffs`] : []),
  ];
  return describeReport({ ...report, skipped: report.skipped + report.skippedUsers.length }, extra);
}

export async function importFreeRadiusCommand(argv: readonly string[], env: CliEnv): Promise<number> {
  const args = parseArgs(argv, { '--from': 'string', '--clients': 'list', '--group-tariff': 'list', '--create-tariffs': 'flag', '--update': 'flag', '--dry-run': 'flag', '--json': 'flag' });
  if (args.positional.length > 0) throw new UsageError(`unexpected ${JSON.stringify(args.positional[0])}`);
  const url = args.strings.get('--from');
  const clients = args.lists.get('--clients') ?? [];
  if (url === undefined && clients.length === 0) throw new UsageError('--from is required: the FreeRADIUS database, postgres://USER:PASSWORD@HOST/DB (or --clients FILE for NAS clients only)');
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) throw new UsageError('--from must be a PostgreSQL URL: postgres://USER:PASSWORD@HOST/DB');
  const groupTariffs = new Map<string, string>();
  for (const pair of args.lists.get('--group-tariff') ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new UsageError(`--group-tariff takes GROUP=TARIFF (a tariff id or name), got ${JSON.stringify(pair)}`);
    groupTariffs.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const clientsFiles: { name: string; text: string }[] = [];
  for (const file of clients) {
    try {
      clientsFiles.push({ name: file, text: await readFile(file, 'utf8') });
    } catch (err) {
      throw new DataError(`cannot read ${file}: ${(err as Error).message}`);
    }
  }
  const source = url === undefined ? undefined : await openFreeRadiusSource(url);
  try {
    return await withStore(env, args, async (opened) => {
      const report = await importFreeRadius(env, source, opened, {
        clientsFiles,
        groupTariffs,
        createTariffs: args.flags.has('--create-tariffs'),
        update: args.flags.has('--update'),
        dryRun: args.flags.has('--dry-run'),
      });
      if (args.flags.has('--json')) printJson(env, report);
      else env.stdout(describe(report));
      return EXIT.OK;
    });
  } finally {
    await source?.close();
  }
}
