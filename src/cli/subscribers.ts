/**
 * `tollgate subscriber add|list|edit|delete`. A subscriber without --account gets a new account of its own;
 * deleting a subscriber leaves its account (and its money) in place.
 */
import { SUBSCRIBER_STATUSES, type Subscriber, type SubscriberStatus } from '../domain/types.js';
import type { Store, SubscriberInput, SubscriberPatch } from '../domain/ports.js';
import { DataError, EXIT, integerOption, parseArgs, printJson, publishChanges, required, table, target, UsageError, withStore, type CliEnv, type ParsedArgs } from './common.js';
import { findTariff } from './tariffs.js';

/** A subscriber by id (all digits) or exact username; DataError when there is none. */
export async function findSubscriber(store: Store, ref: string): Promise<Subscriber> {
  const byName = (await store.subscribers.list({ limit: 1, offset: 0 }, { username: ref })).items[0];
  // A username may be all digits: an exact username match wins over an id.
  const found = byName ?? (/^\d+$/.test(ref) ? await store.subscribers.get(Number(ref)) : undefined);
  if (!found) throw new DataError(`no subscriber ${/^\d+$/.test(ref) ? 'with id or username' : 'named'} ${ref} (tollgate subscriber list shows them)`);
  return found;
}

function statusOption(args: ParsedArgs): SubscriberStatus | undefined {
  const status = args.strings.get('--status');
  if (status !== undefined && !(SUBSCRIBER_STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status must be one of ${SUBSCRIBER_STATUSES.join(', ')}`);
  return status as SubscriberStatus | undefined;
}

function credentials(args: ParsedArgs): { password?: string; ntHash?: string } {
  const password = args.strings.get('--password');
  const ntHash = args.strings.get('--nt-hash');
  if (password !== undefined && ntHash !== undefined) throw new UsageError('give one of --password (PAP, CHAP, MS-CHAPv2) and --nt-hash (PAP, MS-CHAPv2), not both');
  return { ...(password === undefined ? {} : { password }), ...(ntHash === undefined ? {} : { ntHash }) };
}

export async function subscriberCommand(sub: string | undefined, argv: readonly string[], env: CliEnv): Promise<number> {
  switch (sub) {
    case 'add':
      return add(argv, env);
    case 'list': {
      const args = parseArgs(argv, { '--username': 'string', '--account': 'string', '--limit': 'string', '--offset': 'string', '--json': 'flag' });
      const accountId = integerOption(args, '--account', { min: 1 });
      const page = { limit: integerOption(args, '--limit', { min: 1, max: 10_000 }) ?? 100, offset: integerOption(args, '--offset') ?? 0 };
      const username = args.strings.get('--username');
      return withStore(env, args, async ({ store }) => {
        const result = await store.subscribers.list(page, { ...(username === undefined ? {} : { username }), ...(accountId === undefined ? {} : { accountId }) });
        if (args.flags.has('--json')) printJson(env, result);
        else {
          env.stdout(table(
            result.items.map((s) => [s.id, s.username, s.accountId, s.tariffId, s.framedIp, s.mac, s.status]),
            ['ID', 'USERNAME', 'ACCOUNT', 'TARIFF', 'IP', 'MAC', 'STATUS'],
          ));
          if (result.total > result.items.length) env.stdout(`${result.items.length} of ${result.total} (use --limit and --offset for more)\n`);
        }
        return EXIT.OK;
      });
    }
    case 'edit':
      return edit(argv, env);
    case 'delete': {
      const args = parseArgs(argv, {});
      const ref = target(args, 'subscriber delete', 'subscriber id or username');
      return withStore(env, args, async ({ store, changes }) => {
        const found = await findSubscriber(store, ref);
        if (!(await store.subscribers.delete(found.id))) throw new DataError(`subscriber ${found.id} was deleted meanwhile`);
        await publishChanges(env, changes, [{ kind: 'subscriber', id: found.id, usernames: [found.username] }]);
        env.stdout(`deleted subscriber ${found.id} ${found.username} (account ${found.accountId} stays)\n`);
        return EXIT.OK;
      });
    }
    default:
      throw new UsageError(`unknown subscriber subcommand ${JSON.stringify(sub ?? '')} (add, list, edit, delete)`);
  }
}

async function add(argv: readonly string[], env: CliEnv): Promise<number> {
  const args = parseArgs(argv, {
    '--username': 'string', '--password': 'string', '--nt-hash': 'string', '--account': 'string', '--credit-limit': 'string',
    '--tariff': 'string', '--ip': 'string', '--pool': 'string', '--mac': 'string', '--simultaneous-use': 'string', '--status': 'string', '--json': 'flag',
  });
  const username = required(args, '--username', 'the login the subscriber authenticates with');
  const secret = credentials(args);
  if (secret.password === undefined && secret.ntHash === undefined) throw new UsageError('give exactly one of --password (PAP, CHAP, MS-CHAPv2) and --nt-hash (PAP, MS-CHAPv2)');
  const accountId = integerOption(args, '--account', { min: 1 });
  const creditLimit = integerOption(args, '--credit-limit');
  if (accountId !== undefined && creditLimit !== undefined) throw new UsageError('--credit-limit applies to the new account; change an existing account with tollgate account set');
  const status = statusOption(args);
  const simultaneousUse = integerOption(args, '--simultaneous-use', { min: 1, max: 65_535 });
  const optional = {
    ...secret,
    ...(args.strings.has('--ip') ? { framedIp: args.strings.get('--ip')! } : {}),
    ...(args.strings.has('--pool') ? { framedPool: args.strings.get('--pool')! } : {}),
    ...(args.strings.has('--mac') ? { mac: args.strings.get('--mac')! } : {}),
    ...(simultaneousUse === undefined ? {} : { simultaneousUse }),
    ...(status === undefined ? {} : { status }),
  };
  const tariffRef = args.strings.get('--tariff');
  return withStore(env, args, async (opened) => {
    const { store, changes } = opened;
    const tariffId = tariffRef === undefined ? undefined : (await findTariff(store, tariffRef)).id;
    // The new account and the subscriber commit together: a refused subscriber leaves no empty account behind.
    const created: Subscriber = await opened.transaction(async (s) => {
      const account = accountId ?? (await s.accounts.create(creditLimit === undefined ? {} : { creditLimit })).id;
      const input: SubscriberInput = { username, accountId: account, ...(tariffId === undefined ? {} : { tariffId }), ...optional };
      return s.subscribers.create(input);
    });
    await publishChanges(env, changes, [{ kind: 'subscriber', id: created.id, usernames: [created.username] }]);
    if (args.flags.has('--json')) printJson(env, created);
    else env.stdout(`created subscriber ${created.id} ${created.username} on account ${created.accountId}${created.tariffId === null ? '' : `, tariff ${created.tariffId}`}\n`);
    return EXIT.OK;
  });
}

/** The optional value options of edit, each with its --no-… that clears it. */
const CLEARABLE = {
  '--ip': 'framedIp',
  '--pool': 'framedPool',
  '--mac': 'mac',
} as const;

async function edit(argv: readonly string[], env: CliEnv): Promise<number> {
  const args = parseArgs(argv, {
    '--username': 'string', '--password': 'string', '--nt-hash': 'string', '--account': 'string', '--tariff': 'string', '--no-tariff': 'flag',
    '--ip': 'string', '--no-ip': 'flag', '--pool': 'string', '--no-pool': 'flag', '--mac': 'string', '--no-mac': 'flag',
    '--simultaneous-use': 'string', '--no-simultaneous-use': 'flag', '--status': 'string', '--json': 'flag',
  });
  const ref = target(args, 'subscriber edit', 'subscriber id or username');
  const both = (option: string): boolean => args.strings.has(option) && args.flags.has(`--no-${option.slice(2)}`);
  for (const option of ['--tariff', '--ip', '--pool', '--mac', '--simultaneous-use']) {
    if (both(option)) throw new UsageError(`give one of ${option} and --no-${option.slice(2)}`);
  }
  const patch: { -readonly [K in keyof SubscriberPatch]: SubscriberPatch[K] } = { ...credentials(args) };
  const username = args.strings.get('--username');
  if (username !== undefined) patch.username = username;
  const accountId = integerOption(args, '--account', { min: 1 });
  if (accountId !== undefined) patch.accountId = accountId;
  for (const [option, key] of Object.entries(CLEARABLE)) {
    if (args.strings.has(option)) patch[key] = args.strings.get(option)!;
    if (args.flags.has(`--no-${option.slice(2)}`)) patch[key] = null;
  }
  const simultaneousUse = integerOption(args, '--simultaneous-use', { min: 1, max: 65_535 });
  if (simultaneousUse !== undefined) patch.simultaneousUse = simultaneousUse;
  if (args.flags.has('--no-simultaneous-use')) patch.simultaneousUse = null;
  const status = statusOption(args);
  if (status !== undefined) patch.status = status;
  if (args.flags.has('--no-tariff')) patch.tariffId = null;
  const tariffRef = args.strings.get('--tariff');
  if (Object.keys(patch).length === 0 && tariffRef === undefined) throw new UsageError('nothing to change: give at least one of the options');
  return withStore(env, args, async ({ store, changes }) => {
    const before = await findSubscriber(store, ref);
    if (tariffRef !== undefined) patch.tariffId = (await findTariff(store, tariffRef)).id;
    const after = await store.subscribers.update(before.id, patch);
    if (!after) throw new DataError(`subscriber ${before.id} was deleted meanwhile`);
    // Caches are keyed by username: a rename must drop the old name as well as load the new one.
    const usernames = before.username === after.username ? [after.username] : [before.username, after.username];
    const events = [{ kind: 'subscriber' as const, id: after.id, usernames }];
    // A move to another account changes which balance the subscriber runs on: both accounts' views refresh.
    await publishChanges(env, changes, after.accountId === before.accountId ? events : [...events, { kind: 'account', id: before.accountId }, { kind: 'account', id: after.accountId }]);
    if (args.flags.has('--json')) printJson(env, after);
    else env.stdout(`updated subscriber ${after.id} ${after.username} on account ${after.accountId}${after.tariffId === null ? '' : `, tariff ${after.tariffId}`}\n`);
    return EXIT.OK;
  });
}
