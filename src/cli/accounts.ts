/**
 * `tollgate account set|delete`: the accounts `subscriber add` and the imports create. Money moves only through
 * payments and the ledger; here only the credit limit changes (the state is re-derived with it).
 */
import type { Account } from '../domain/types.js';
import { DataError, EXIT, integerOption, parseArgs, printJson, publishChanges, target, UsageError, withStore, type CliEnv } from './common.js';

function accountId(ref: string): number {
  if (!/^\d{1,15}$/.test(ref) || Number(ref) < 1) throw new UsageError(`the account id must be a positive integer, got ${JSON.stringify(ref)}`);
  return Number(ref);
}

const describe = (a: Account): string => `account ${a.id}: balance ${a.balance}, credit limit ${a.creditLimit} (${a.state})`;

export async function accountCommand(sub: string | undefined, argv: readonly string[], env: CliEnv): Promise<number> {
  switch (sub) {
    case 'set': {
      const args = parseArgs(argv, { '--credit-limit': 'string', '--json': 'flag' });
      const id = accountId(target(args, 'account set', 'account id'));
      const creditLimit = integerOption(args, '--credit-limit');
      if (creditLimit === undefined) throw new UsageError('--credit-limit is required: the permanent credit in minor units');
      return withStore(env, args, async ({ store, changes }) => {
        const updated = await store.accounts.update(id, { creditLimit });
        if (!updated) throw new DataError(`no account with id ${id}`);
        await publishChanges(env, changes, [{ kind: 'account', id }]);
        if (args.flags.has('--json')) printJson(env, updated);
        else env.stdout(`updated ${describe(updated)}\n`);
        return EXIT.OK;
      });
    }
    case 'delete': {
      const args = parseArgs(argv, {});
      const id = accountId(target(args, 'account delete', 'account id'));
      return withStore(env, args, async ({ store, changes }) => {
        // An account subscribers belong to, or with money on its ledger, is refused (STORE_REFERENCE, exit 65).
        if (!(await store.accounts.delete(id))) throw new DataError(`no account with id ${id}`);
        await publishChanges(env, changes, [{ kind: 'account', id }]);
        env.stdout(`deleted account ${id}\n`);
        return EXIT.OK;
      });
    }
    default:
      throw new UsageError(`unknown account subcommand ${JSON.stringify(sub ?? '')} (set, delete)`);
  }
}
