/** `tollgate payment add`: money received, idempotent on --external-id like POST /api/v1/payments. */
import { DataError, EXIT, integerOption, parseArgs, printJson, publishChanges, required, UsageError, withStore, type CliEnv } from './common.js';

export async function paymentCommand(sub: string | undefined, argv: readonly string[], env: CliEnv): Promise<number> {
  if (sub !== 'add') throw new UsageError(`unknown payment subcommand ${JSON.stringify(sub ?? '')} (add)`);
  const args = parseArgs(argv, { '--account': 'string', '--username': 'string', '--amount': 'string', '--external-id': 'string', '--comment': 'string', '--json': 'flag' });
  const accountOption = integerOption(args, '--account', { min: 1 });
  const username = args.strings.get('--username');
  if ((accountOption === undefined) === (username === undefined)) throw new UsageError('give exactly one of --account ID and --username NAME');
  const amount = integerOption(args, '--amount', { min: 1 });
  if (amount === undefined) throw new UsageError('--amount is required: minor units, e.g. 1500 for 15.00');
  const externalId = required(args, '--external-id', "the payment system's id of the payment (makes a retry harmless)");
  const comment = args.strings.get('--comment');
  return withStore(env, args, async ({ store, changes }) => {
    let accountId = accountOption;
    if (accountId === undefined) {
      const [subscriber] = (await store.subscribers.list({ limit: 1, offset: 0 }, { username: username! })).items;
      if (!subscriber) throw new DataError(`no subscriber ${JSON.stringify(username)}`);
      accountId = subscriber.accountId;
    }
    const result = await store.ledger.pay({ accountId, amount, externalId, ...(comment === undefined ? {} : { comment }) });
    if (result.created) await publishChanges(env, changes, [{ kind: 'account', id: accountId }]);
    const account = await store.accounts.get(accountId);
    if (args.flags.has('--json')) printJson(env, { ...result, account });
    else {
      const what = result.created ? `recorded payment ${result.payment.id}` : `payment ${result.payment.id} with external id ${JSON.stringify(externalId)} was already recorded; nothing changed`;
      env.stdout(`${what}: account ${accountId} balance ${account?.balance ?? '?'} (${account?.state ?? '?'})\n`);
    }
    return EXIT.OK;
  });
}
