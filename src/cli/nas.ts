/** `tollgate nas add|list`: NAS clients in the database (running daemons reload them on the change event). */
import { VENDORS, type Nas, type VendorName } from '../domain/types.js';
import { EXIT, integerOption, parseArgs, printJson, publishChanges, required, table, UsageError, withStore, type CliEnv } from './common.js';

export const NAS_USAGE = `  nas add --name NAME --address IP|CIDR --secret SECRET [--vendor VENDOR] [--coa-port PORT]
          [--no-message-authenticator] [--json]
                                 register a NAS client (vendor: ${VENDORS.join(', ')}; default generic)
  nas list [--json]              list the NAS clients in the database (secrets are not shown)`;

/** A NAS without its secret: what list and add print. */
function visible(n: Nas): Omit<Nas, 'secret'> {
  return Object.fromEntries(Object.entries(n).filter(([k]) => k !== 'secret')) as Omit<Nas, 'secret'>;
}

export async function nasCommand(sub: string | undefined, argv: readonly string[], env: CliEnv): Promise<number> {
  switch (sub) {
    case 'add': {
      const args = parseArgs(argv, {
        '--name': 'string', '--address': 'string', '--secret': 'string', '--vendor': 'string', '--coa-port': 'string',
        '--no-message-authenticator': 'flag', '--json': 'flag',
      });
      const vendor = args.strings.get('--vendor') ?? 'generic';
      if (!(VENDORS as readonly string[]).includes(vendor)) throw new UsageError(`--vendor must be one of ${VENDORS.join(', ')}, got ${JSON.stringify(vendor)}`);
      const coaPort = integerOption(args, '--coa-port', { min: 1, max: 65535 });
      const input = {
        name: required(args, '--name', 'a name for the NAS (used in logs and sessions)'),
        address: required(args, '--address', 'the source address of its RADIUS packets, or a CIDR'),
        secret: required(args, '--secret', 'the RADIUS shared secret configured on the NAS'),
        vendor: vendor as VendorName,
        ...(coaPort === undefined ? {} : { coaPort }),
        ...(args.flags.has('--no-message-authenticator') ? { requireMessageAuthenticator: false } : {}),
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
    default:
      throw new UsageError(`unknown nas subcommand ${JSON.stringify(sub ?? '')} (add, list)`);
  }
}
