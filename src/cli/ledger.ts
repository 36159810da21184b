/** `tollgate ledger verify`: balance = Σ payments + Σ adjustments − Σ charges for every account (exit 1 if not). */
import { EXIT, parseArgs, UsageError, withStore, type CliEnv } from './common.js';

export const LEDGER_USAGE = `  ledger verify [--json]         check balance = payments + adjustments - charges for every account
                                 (exit 1 when any account does not match)`;

export async function ledgerCommand(sub: string | undefined, argv: readonly string[], env: CliEnv): Promise<number> {
  if (sub !== 'verify') throw new UsageError(`unknown ledger subcommand ${JSON.stringify(sub ?? '')} (verify)`);
  const args = parseArgs(argv, { '--json': 'flag' });
  return withStore(env, args, async ({ store }) => {
    const result = await store.ledger.verify();
    if (args.flags.has('--json')) env.stdout(`${JSON.stringify(result)}\n`);
    else {
      for (const m of result.mismatches) {
        env.stdout(`account ${m.accountId}: balance ${m.balance}, expected ${m.expected} (difference ${m.balance - m.expected})\n`);
      }
      env.stdout(`ledger: ${result.accounts} accounts, ${result.mismatches.length} mismatches\n`);
    }
    return result.mismatches.length > 0 ? EXIT.FAILURE : EXIT.OK;
  });
}
