/** `tollgate nas add|list|edit|delete`: NAS clients in the database (running daemons reload them on the change event). */
import { VENDORS, type Nas, type VendorName } from '../domain/types.js';
import type { NasPatch, Store } from '../domain/ports.js';
import { DataError, EXIT, integerOption, parseArgs, printJson, publishChanges, required, table, target, UsageError, withStore, type CliEnv, type ParsedArgs } from './common.js';

/** A NAS without its secret: what list, add and edit print. */
function visible(n: Nas): Omit<Nas, 'secret'> {
  return Object.fromEntries(Object.entries(n).filter(([k]) => k !== 'secret')) as Omit<Nas, 'secret'>;
}

function vendorOption(args: ParsedArgs): VendorName | undefined {
  const vendor = args.strings.get('--vendor');
  if (vendor !== undefined && !(VENDORS as readonly string[]).includes(vendor)) throw new UsageError(`--vendor must be one of ${VENDORS.join(', ')}, got ${JSON.stringify(vendor)}`);
  return vendor as VendorName | undefined;
}

/** A NAS by id (all digits) or exact name; DataError when there is none. */
export async function findNas(store: Store, ref: string): Promise<Nas> {
  const found = /^\d+$/.test(ref) ? await store.nas.get(Number(ref)) : (await store.nas.list()).find((n) => n.name === ref);
  if (!found) throw new DataError(`no NAS ${/^\d+$/.test(ref) ? 'with id' : 'named'} ${ref} (tollgate nas list shows them)`);
  return found;
}

const EDIT_SPEC = {
  '--name': 'string', '--address': 'string', '--secret': 'string', '--vendor': 'string', '--coa-port': 'string',
  '--message-authenticator': 'flag', '--no-message-authenticator': 'flag', '--message-authenticator-auto': 'flag', '--json': 'flag',
  '--tls-name': 'string', '--no-tls-name': 'flag',
} as const;

/** tlsName from --tls-name NAME or (edit) --no-tls-name, which clears it; undefined when neither is given. */
function tlsNameOption(args: ParsedArgs): NasPatch['tlsName'] {
  const name = args.strings.get('--tls-name');
  if (args.flags.has('--no-tls-name')) {
    if (name !== undefined) throw new UsageError('give one of --tls-name and --no-tls-name');
    return null;
  }
  return name;
}

/** requireMessageAuthenticator from the flags (at most one of them); undefined when none is given. */
function requirementOption(args: ParsedArgs): NasPatch['requireMessageAuthenticator'] {
  const given = (['--message-authenticator', '--no-message-authenticator', '--message-authenticator-auto'] as const).filter((f) => args.flags.has(f));
  if (given.length > 1) throw new UsageError('give one of --message-authenticator, --no-message-authenticator and --message-authenticator-auto');
  return given[0] === undefined ? undefined : given[0] === '--message-authenticator-auto' ? 'auto' : given[0] === '--message-authenticator';
}

export async function nasCommand(sub: string | undefined, argv: readonly string[], env: CliEnv): Promise<number> {
  switch (sub) {
    case 'add': {
      const args = parseArgs(argv, {
        '--name': 'string', '--address': 'string', '--secret': 'string', '--vendor': 'string', '--coa-port': 'string',
        '--message-authenticator': 'flag', '--no-message-authenticator': 'flag', '--message-authenticator-auto': 'flag', '--json': 'flag',
        '--tls-name': 'string',
      });
      const tlsName = args.strings.get('--tls-name');
      // Without a flag the store makes it auto: strict once the NAS has sent a valid Message-Authenticator.
      const requirement = requirementOption(args);
      const vendor = vendorOption(args) ?? 'generic';
      const coaPort = integerOption(args, '--coa-port', { min: 1, max: 65535 });
      const input = {
        name: required(args, '--name', 'a name for the NAS (used in logs and sessions)'),
        address: required(args, '--address', 'the source address of its RADIUS packets, or a CIDR'),
        secret: required(args, '--secret', 'the RADIUS shared secret configured on the NAS'),
        vendor,
        ...(coaPort === undefined ? {} : { coaPort }),
        ...(requirement === undefined ? {} : { requireMessageAuthenticator: requirement }),
        ...(tlsName === undefined ? {} : { tlsName }),
      };
      return withStore(env, args, async ({ store, changes }) => {
        const nas = await store.nas.create(input);
        await publishChanges(env, changes, [{ kind: 'nas' }]);
        if (args.flags.has('--json')) printJson(env, visible(nas));
        else env.stdout(`created NAS ${nas.id} ${nas.name} (${nas.address}, ${nas.vendor})\n`);
        return EXIT.OK;
      });
    }
    case 'list': {
      const args = parseArgs(argv, { '--json': 'flag' });
      return withStore(env, args, async ({ store }) => {
        const rows = await store.nas.list();
        if (args.flags.has('--json')) printJson(env, rows.map(visible));
        else {
          env.stdout(table(
            rows.map((n) => [n.id, n.name, n.address, n.vendor, n.coaPort, n.requireMessageAuthenticator]),
            ['ID', 'NAME', 'ADDRESS', 'VENDOR', 'COA-PORT', 'REQUIRE-MESSAGE-AUTHENTICATOR'],
          ));
        }
        return EXIT.OK;
      });
    }
    case 'edit': {
      const args = parseArgs(argv, EDIT_SPEC);
      const ref = target(args, 'nas edit', 'NAS id or name');
      const requirement = requirementOption(args);
      const vendor = vendorOption(args);
      const coaPort = integerOption(args, '--coa-port', { min: 1, max: 65535 });
      const tlsName = tlsNameOption(args);
      const text = (option: string, key: 'name' | 'address' | 'secret'): NasPatch => (args.strings.has(option) ? { [key]: args.strings.get(option)! } : {});
      const patch: NasPatch = {
        ...text('--name', 'name'),
        ...text('--address', 'address'),
        ...text('--secret', 'secret'),
        ...(vendor === undefined ? {} : { vendor }),
        ...(coaPort === undefined ? {} : { coaPort }),
        ...(requirement === undefined ? {} : { requireMessageAuthenticator: requirement }),
        ...(tlsName === undefined ? {} : { tlsName }),
      };
      if (Object.keys(patch).length === 0) throw new UsageError('nothing to change: give at least one of the options');
      return withStore(env, args, async ({ store, changes }) => {
        const nas = await findNas(store, ref);
        const updated = await store.nas.update(nas.id, patch);
        if (!updated) throw new DataError(`NAS ${nas.id} was deleted meanwhile`);
        await publishChanges(env, changes, [{ kind: 'nas' }]);
        if (args.flags.has('--json')) printJson(env, visible(updated));
        else env.stdout(`updated NAS ${updated.id} ${updated.name} (${updated.address}, ${updated.vendor})\n`);
        return EXIT.OK;
      });
    }
    case 'delete': {
      const args = parseArgs(argv, {});
      const ref = target(args, 'nas delete', 'NAS id or name');
      return withStore(env, args, async ({ store, changes }) => {
        const nas = await findNas(store, ref);
        if (!(await store.nas.delete(nas.id))) throw new DataError(`NAS ${nas.id} was deleted meanwhile`);
        await publishChanges(env, changes, [{ kind: 'nas' }]);
        env.stdout(`deleted NAS ${nas.id} ${nas.name}\n`);
        return EXIT.OK;
      });
    }
    default:
      throw new UsageError(`unknown nas subcommand ${JSON.stringify(sub ?? '')} (add, list, edit, delete)`);
  }
}
