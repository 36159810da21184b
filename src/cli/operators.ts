/**
 * `tollgate operator add|list|disable|enable|reset-password`: the console's operators from the command line —
 * how the first admin is made without the bootstrap token (docs/console.md). Passwords come from stdin (one
 * line), never from the argument list (which `ps` shows). Every change is audited like the API's, in its
 * transaction, with via `cli` and the OS user as the login; the last enabled admin cannot be disabled.
 */
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../domain/credentials.js';
import { isRole, ROLES, type AuditInput, type Operator } from '../domain/operators.js';
import type { Store } from '../domain/ports.js';
import { DataError, EXIT, parseArgs, printJson, table, target, UsageError, withStore, type CliEnv } from './common.js';

const LOGIN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const RESERVED = new Set(['bootstrap', 'anonymous', 'cli']);

function checkLogin(login: string): void {
  if (!LOGIN.test(login)) throw new UsageError(`LOGIN must be 1–64 letters, digits and . _ @ - starting with a letter or digit, got ${JSON.stringify(login)}`);
  if (RESERVED.has(login.toLowerCase())) throw new UsageError(`LOGIN ${JSON.stringify(login)} is reserved (the audit log uses it)`);
}

/** The first line of stdin, as the password; refused when short (exit 65). */
async function readPassword(env: CliEnv): Promise<string> {
  if (!env.readStdin) throw new UsageError('this command reads the password from stdin');
  const input = await env.readStdin();
  const line = input.split(/\r?\n/, 1)[0] ?? '';
  if (line.length < MIN_PASSWORD_LENGTH) throw new DataError(`the password (the first line of stdin) must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (line.length > MAX_PASSWORD_LENGTH) throw new DataError(`the password must be at most ${MAX_PASSWORD_LENGTH} characters`);
  return line;
}

function who(env: CliEnv): Pick<AuditInput, 'operatorId' | 'login' | 'via' | 'address'> {
  return { operatorId: null, login: env.user ?? 'cli', via: 'cli', address: '' };
}

async function findOperator(store: Store, login: string): Promise<Operator> {
  const operator = await store.operators.byLogin(login);
  if (!operator) throw new DataError(`no operator ${JSON.stringify(login)}`);
  return operator;
}

const describe = (o: Operator) => `${o.login} (${o.role}${o.disabled ? ', disabled' : ''})`;

export async function operatorCommand(sub: string | undefined, argv: readonly string[], env: CliEnv): Promise<number> {
  switch (sub) {
    case 'add': {
      const args = parseArgs(argv, { '--role': 'string', '--name': 'string', '--json': 'flag' });
      const login = target(args, 'operator add', 'LOGIN');
      checkLogin(login);
      const role = args.strings.get('--role');
      if (role === undefined) throw new UsageError(`--role is required: ${ROLES.join(', ')}`);
      if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(role)}`);
      const password = await readPassword(env);
      const passwordHash = await hashPassword(password);
      return withStore(env, args, async ({ store }) => {
        const operator = await store.transaction(async (tx) => {
          const row = await tx.operators.create({ login, displayName: args.strings.get('--name') ?? '', role, passwordHash });
          await tx.audit.append({ ...who(env), action: 'operator.create', target: `operator:${row.id}`, after: { ...row, password: 'set' } });
          return row;
        });
        if (args.flags.has('--json')) printJson(env, operator);
        else env.stdout(`created operator ${operator.id}: ${describe(operator)}\n`);
        return EXIT.OK;
      });
    }
    case 'list': {
      const args = parseArgs(argv, { '--json': 'flag' });
      if (args.positional.length > 0) throw new UsageError(`operator list takes no argument ${JSON.stringify(args.positional[0])}`);
      return withStore(env, args, async ({ store }) => {
        const operators = await store.operators.list();
        if (args.flags.has('--json')) printJson(env, operators);
        else {
          env.stdout(
            table(
              operators.map((o) => [o.id, o.login, o.role, o.displayName, o.disabled ? 'disabled' : 'enabled', o.totpEnabled ? 'totp' : '-', o.lastLoginAt]),
              ['ID', 'LOGIN', 'ROLE', 'NAME', 'STATE', '2FA', 'LAST LOGIN'],
            ),
          );
        }
        return EXIT.OK;
      });
    }
    case 'disable':
    case 'enable': {
      const args = parseArgs(argv, {});
      const login = target(args, `operator ${sub}`, 'LOGIN');
      const disabled = sub === 'disable';
      return withStore(env, args, async ({ store }) => {
        const after = await store.transaction(async (tx) => {
          const before = await findOperator(tx, login);
          if (before.disabled === disabled) return before;
          if (disabled && before.role === 'admin') {
            const admins = await tx.operators.lockEnabledAdmins();
            if (admins.filter((id) => id !== before.id).length === 0) throw new DataError(`${before.login} is the last enabled admin: make another operator admin first`);
          }
          const row = (await tx.operators.update(before.id, { disabled }))!;
          const sessionsEnded = disabled ? await tx.operatorSessions.endAll(before.id) : 0;
          await tx.audit.append({ ...who(env), action: 'operator.update', target: `operator:${row.id}`, before, after: { ...row, ...(sessionsEnded > 0 ? { sessionsEnded } : {}) } });
          return row;
        });
        env.stdout(`${disabled ? 'disabled' : 'enabled'} operator ${describe(after)}\n`);
        return EXIT.OK;
      });
    }
    case 'reset-password': {
      const args = parseArgs(argv, {});
      const login = target(args, 'operator reset-password', 'LOGIN');
      const password = await readPassword(env);
      const passwordHash = await hashPassword(password);
      return withStore(env, args, async ({ store }) => {
        await store.transaction(async (tx) => {
          const operator = await findOperator(tx, login);
          await tx.operators.setPassword(operator.id, passwordHash);
          const sessionsEnded = await tx.operatorSessions.endAll(operator.id);
          await tx.audit.append({ ...who(env), action: 'operator.password_reset', target: `operator:${operator.id}`, after: { password: 'set', sessionsEnded } });
        });
        env.stdout(`set a new password for ${login}; its console sessions have ended\n`);
        return EXIT.OK;
      });
    }
    default:
      throw new UsageError(`unknown operator subcommand ${JSON.stringify(sub ?? '')} (add, list, disable, enable, reset-password)`);
  }
}
