/** `tollgate subscriber add|list`. A subscriber without --account gets a new account of its own. */
import { SUBSCRIBER_STATUSES, type Subscriber, type SubscriberStatus } from '../domain/types.js';
import type { SubscriberInput } from '../domain/ports.js';
import { EXIT, integerOption, parseArgs, printJson, publishChanges, required, table, UsageError, withStore, type CliEnv } from './common.js';
import { findTariff } from './tariffs.js';

export const SUBSCRIBER_USAGE = `  subscriber add --username NAME (--password PASSWORD | --nt-hash HEX32) [--account ID | --credit-limit MINOR]
                 [--tariff ID|NAME] [--ip ADDRESS] [--pool NAME] [--mac MAC] [--simultaneous-use N]
                 [--status active|suspended|disabled] [--json]
                                 create a subscriber (with a new account unless --account names one)
  subscriber list [--username NAME] [--account ID] [--limit N] [--offset N] [--json]
                                 list subscribers (passwords are never shown)`;

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
    default:
      throw new UsageError(`unknown subscriber subcommand ${JSON.stringify(sub ?? '')} (add, list)`);
  }
}

async function add(argv: readonly string[], env: CliEnv): Promise<number> {
  const args = parseArgs(argv, {
    '--username': 'string', '--password': 'string', '--nt-hash': 'string', '--account': 'string', '--credit-limit': 'string',
    '--tariff': 'string', '--ip': 'string', '--pool': 'string', '--mac': 'string', '--simultaneous-use': 'string', '--status': 'string', '--json': 'flag',
  });
  const username = required(args, '--username', 'the login the subscriber authenticates with');
  const password = args.strings.get('--password');
  const ntHash = args.strings.get('--nt-hash');
  if ((password === undefined) === (ntHash === undefined)) throw new UsageError('give exactly one of --password (PAP, CHAP, MS-CHAPv2) and --nt-hash (PAP, MS-CHAPv2)');
  const accountId = integerOption(args, '--account', { min: 1 });
  const creditLimit = integerOption(args, '--credit-limit');
  if (accountId !== undefined && creditLimit !== undefined) throw new UsageError('--credit-limit applies to the new account; change an existing account through the API');
  const status = args.strings.get('--status');
  if (status !== undefined && !(SUBSCRIBER_STATUSES as readonly string[]).includes(status)) throw new UsageError(`--status must be one of ${SUBSCRIBER_STATUSES.join(', ')}`);
  const simultaneousUse = integerOption(args, '--simultaneous-use', { min: 1, max: 2_147_483_647 });
  const optional = {
    ...(password === undefined ? {} : { password }),
    ...(ntHash === undefined ? {} : { ntHash }),
    ...(args.strings.has('--ip') ? { framedIp: args.strings.get('--ip')! } : {}),
    ...(args.strings.has('--pool') ? { framedPool: args.strings.get('--pool')! } : {}),
    ...(args.strings.has('--mac') ? { mac: args.strings.get('--mac')! } : {}),
    ...(simultaneousUse === undefined ? {} : { simultaneousUse }),
    ...(status === undefined ? {} : { status: status as SubscriberStatus }),
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
