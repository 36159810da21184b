/** `tollgate tariff add|list|edit|delete`. Money in integer minor units, speeds in kbit/s. */
import type { Tariff } from '../domain/types.js';
import type { Store, TariffInput, TariffPatch } from '../domain/ports.js';
import { DataError, EXIT, integerOption, parseArgs, printJson, publishChanges, required, table, target, UsageError, withStore, type CliEnv, type ParsedArgs } from './common.js';

const NUMBERS = {
  '--monthly-fee': 'monthlyFee',
  '--down-kbps': 'downKbps',
  '--up-kbps': 'upKbps',
  '--price-per-gb': 'pricePerGB',
  '--included-bytes': 'includedBytes',
  '--price-per-minute': 'pricePerMinute',
} as const;

const SPEC = { ...Object.fromEntries(Object.keys(NUMBERS).map((k) => [k, 'string' as const])), '--name': 'string', '--json': 'flag' } as const;

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

/** The numeric options given, as tariff fields. */
function numbers(args: ParsedArgs): Partial<Record<(typeof NUMBERS)[keyof typeof NUMBERS], number>> {
  const out: Partial<Record<(typeof NUMBERS)[keyof typeof NUMBERS], number>> = {};
  for (const [option, key] of Object.entries(NUMBERS)) {
    const v = integerOption(args, option);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

const describe = (t: Tariff): string => `${t.id} ${t.name} (${t.downKbps}/${t.upKbps} kbit/s, ${t.monthlyFee} per month)`;

export async function tariffCommand(sub: string | undefined, argv: readonly string[], env: CliEnv): Promise<number> {
  switch (sub) {
    case 'add': {
      const args = parseArgs(argv, SPEC);
      const input: TariffInput = { name: required(args, '--name', 'the tariff name'), ...numbers(args) };
      return withStore(env, args, async ({ store, changes }) => {
        const tariff = await store.tariffs.create(input);
        await publishChanges(env, changes, [{ kind: 'tariff', id: tariff.id }]);
        if (args.flags.has('--json')) printJson(env, tariff);
        else env.stdout(`created tariff ${describe(tariff)}\n`);
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
    case 'edit': {
      const args = parseArgs(argv, SPEC);
      const ref = target(args, 'tariff edit', 'tariff id or name');
      const name = args.strings.get('--name');
      const patch: TariffPatch = { ...(name === undefined ? {} : { name }), ...numbers(args) };
      if (Object.keys(patch).length === 0) throw new UsageError('nothing to change: give at least one of the options');
      return withStore(env, args, async ({ store, changes }) => {
        const tariff = await findTariff(store, ref);
        const updated = await store.tariffs.update(tariff.id, patch);
        if (!updated) throw new DataError(`tariff ${tariff.id} was deleted meanwhile`);
        await publishChanges(env, changes, [{ kind: 'tariff', id: updated.id }]);
        if (args.flags.has('--json')) printJson(env, updated);
        else env.stdout(`updated tariff ${describe(updated)}\n`);
        return EXIT.OK;
      });
    }
    case 'delete': {
      const args = parseArgs(argv, {});
      const ref = target(args, 'tariff delete', 'tariff id or name');
      return withStore(env, args, async ({ store, changes }) => {
        const tariff = await findTariff(store, ref);
        // A tariff subscribers use is refused (STORE_REFERENCE, exit 65): move them first.
        if (!(await store.tariffs.delete(tariff.id))) throw new DataError(`tariff ${tariff.id} was deleted meanwhile`);
        await publishChanges(env, changes, [{ kind: 'tariff', id: tariff.id }]);
        env.stdout(`deleted tariff ${tariff.id} ${tariff.name}\n`);
        return EXIT.OK;
      });
    }
    default:
      throw new UsageError(`unknown tariff subcommand ${JSON.stringify(sub ?? '')} (add, list, edit, delete)`);
  }
}
