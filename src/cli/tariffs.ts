/** `tollgate tariff add|list`. Money in integer minor units, speeds in kbit/s. */
import type { Tariff } from '../domain/types.js';
import type { Store, TariffInput } from '../domain/ports.js';
import { DataError, EXIT, integerOption, parseArgs, printJson, publishChanges, required, table, UsageError, withStore, type CliEnv } from './common.js';

export const TARIFF_USAGE = `  tariff add --name NAME [--monthly-fee MINOR] [--down-kbps N] [--up-kbps N] [--price-per-gb MINOR]
             [--included-bytes N] [--price-per-minute MINOR] [--json]
                                 create a tariff (money in minor units: 1500 is 15.00)
  tariff list [--json]           list the tariffs`;

const NUMBERS = {
  '--monthly-fee': 'monthlyFee',
  '--down-kbps': 'downKbps',
  '--up-kbps': 'upKbps',
  '--price-per-gb': 'pricePerGB',
  '--included-bytes': 'includedBytes',
  '--price-per-minute': 'pricePerMinute',
} as const;

/** Every tariff (a few dozen at most), read page by page. */
export async function allTariffs(store: Store): Promise<Tariff[]> {
  const out: Tariff[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await store.tariffs.list({ limit: 1000, offset });
    out.push(...page.items);
    if (page.items.length < 1000) return out;
  }
}

/** A tariff by id (all digits) or exact name; DataError when there is none. */
export async function findTariff(store: Store, ref: string): Promise<Tariff> {
  const tariffs = await allTariffs(store);
  const found = /^\d+$/.test(ref) ? tariffs.find((t) => t.id === Number(ref)) : tariffs.find((t) => t.name === ref);
  if (!found) throw new DataError(`no tariff ${/^\d+$/.test(ref) ? 'with id' : 'named'} ${ref} (tollgate tariff list shows them)`);
  return found;
}

export async function tariffCommand(sub: string | undefined, argv: readonly string[], env: CliEnv): Promise<number> {
  switch (sub) {
    case 'add': {
      const spec = Object.fromEntries(Object.keys(NUMBERS).map((k) => [k, 'string' as const]));
      const args = parseArgs(argv, { ...spec, '--name': 'string', '--json': 'flag' });
      const input: Record<string, number | string> = { name: required(args, '--name', 'the tariff name') };
      for (const [option, key] of Object.entries(NUMBERS)) {
        const v = integerOption(args, option);
        if (v !== undefined) input[key] = v;
      }
      return withStore(env, args, async ({ store, changes }) => {
        const tariff = await store.tariffs.create(input as unknown as TariffInput);
        await publishChanges(env, changes, [{ kind: 'tariff', id: tariff.id }]);
        if (args.flags.has('--json')) printJson(env, tariff);
        else env.stdout(`created tariff ${tariff.id} ${tariff.name} (${tariff.downKbps}/${tariff.upKbps} kbit/s, ${tariff.monthlyFee} per month)\n`);
        return EXIT.OK;
      });
    }
    case 'list': {
      const args = parseArgs(argv, { '--json': 'flag' });
      return withStore(env, args, async ({ store }) => {
        const rows = await allTariffs(store);
        if (args.flags.has('--json')) printJson(env, rows);
        else {
          env.stdout(table(
            rows.map((t) => [t.id, t.name, t.monthlyFee, t.downKbps, t.upKbps, t.pricePerGB, t.includedBytes, t.pricePerMinute]),
            ['ID', 'NAME', 'MONTHLY-FEE', 'DOWN-KBPS', 'UP-KBPS', 'PRICE-PER-GB', 'INCLUDED-BYTES', 'PRICE-PER-MINUTE'],
          ));
        }
        return EXIT.OK;
      });
    }
    default:
      throw new UsageError(`unknown tariff subcommand ${JSON.stringify(sub ?? '')} (add, list)`);
  }
}
