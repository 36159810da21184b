/**
 * The usage of every operator command, in a module of its own: `tollgate --help` and a usage error print it
 * without loading the command modules (and what they load).
 */
import { VENDORS } from '../domain/types.js';

/** The columns an import file may have, in the documented order. Only `username` is required. */
export const CSV_COLUMNS = [
  'username', 'password', 'nt_hash', 'account_id', 'credit_limit', 'balance', 'tariff',
  'framed_ip', 'framed_pool', 'mac', 'simultaneous_use', 'status',
] as const;

export const NAS_USAGE = `  nas add --name NAME --address IP|CIDR --secret SECRET [--vendor VENDOR] [--coa-port PORT]
          [--message-authenticator | --no-message-authenticator | --message-authenticator-auto]
          [--tls-name NAME] [--json]
                                 register a NAS client (vendor: ${VENDORS.join(', ')}; default generic;
                                 Message-Authenticator: auto unless a flag says, i.e. required once it is sent;
                                 --tls-name: the certificate CN or subjectAltName it must present over RadSec)
  nas list [--json]              list the NAS clients in the database (secrets are not shown)
  nas edit ID|NAME [--name NAME] [--address IP|CIDR] [--secret SECRET] [--vendor VENDOR] [--coa-port PORT]
           [--message-authenticator | --no-message-authenticator | --message-authenticator-auto]
           [--tls-name NAME | --no-tls-name] [--json]
                                 change a NAS client
  nas delete ID|NAME             remove a NAS client`;

export const TARIFF_USAGE = `  tariff add --name NAME [--monthly-fee MINOR] [--down-kbps N] [--up-kbps N] [--price-per-gb MINOR]
             [--included-bytes N] [--price-per-minute MINOR] [--json]
                                 create a tariff (money in minor units: 1500 is 15.00)
  tariff list [--json]           list the tariffs
  tariff edit ID|NAME [--name NAME] [--monthly-fee MINOR] [--down-kbps N] … [--json]
                                 change a tariff (the options of tariff add)
  tariff delete ID|NAME          remove a tariff no subscriber uses`;

export const SUBSCRIBER_USAGE = `  subscriber add --username NAME (--password PASSWORD | --nt-hash HEX32) [--account ID | --credit-limit MINOR]
                 [--tariff ID|NAME] [--ip ADDRESS] [--pool NAME] [--mac MAC] [--simultaneous-use N]
                 [--status active|suspended|disabled] [--json]
                                 create a subscriber (with a new account unless --account names one)
  subscriber list [--username NAME] [--account ID] [--limit N] [--offset N] [--json]
                                 list subscribers (passwords are never shown)
  subscriber edit ID|USERNAME [--username NAME] [--password PASSWORD | --nt-hash HEX32] [--account ID]
                  [--tariff ID|NAME | --no-tariff] [--ip ADDRESS | --no-ip] [--pool NAME | --no-pool]
                  [--mac MAC | --no-mac] [--simultaneous-use N | --no-simultaneous-use] [--status STATUS] [--json]
                                 change a subscriber
  subscriber delete ID|USERNAME  remove a subscriber (its account and its money stay)`;

export const ACCOUNT_USAGE = `  account set ID --credit-limit MINOR [--json]
                                 change an account's credit limit (its state follows)
  account delete ID              remove an account that no subscriber belongs to`;

export const PAYMENT_USAGE = `  payment add (--account ID | --username NAME) --amount MINOR --external-id ID [--comment TEXT] [--json]
                                 record a payment (minor units > 0); the same --external-id again changes nothing
                                 (a payment is never edited or deleted: the ledger is append-only)`;

export const SESSIONS_USAGE = `  sessions active [--username NAME] [--limit N] [--json]
                                 open sessions, newest first
  sessions at --ip ADDRESS --time TIME [--json]
                                 who had the Framed-IP-Address at that instant
  sessions export --from TIME --to TIME [--format csv|json] [--out FILE] [--username NAME] [--ip ADDRESS]
                                 every session overlapping [from, to) as CSV (RFC 4180) or JSON
                                 TIME: ISO-8601 with a zone (2025-01-31T12:00:00Z), or a UTC day (2025-01-31)`;

export const LEDGER_USAGE = `  ledger verify [--json]         check balance = payments + adjustments - charges for every account, each
                                 session's charges and rating under its tariff, and the accounting journal
                                 (exit 1 when anything does not match)`;

export const IMPORT_CSV_USAGE = `  import csv FILE [--update] [--dry-run] [--json]
                                 subscribers from CSV (header row; columns ${CSV_COLUMNS.join(', ')});
                                 existing usernames are skipped, or changed with --update; all or
                                 nothing: a row the database refuses rolls the whole file back`;

export const IMPORT_FREERADIUS_USAGE = `  import freeradius (--from postgres://USER@HOST/DB | --clients FILE) [--group-tariff GROUP=TARIFF]...
                    [--create-tariffs] [--update] [--dry-run] [--json]
                                 subscribers from a FreeRADIUS SQL database (radcheck, radreply,
                                 radusergroup, radgroupreply; groups map to tariffs) and NAS clients from its
                                 nas table and/or a clients.conf file (--clients)`;

export const OPERATORS_USAGE = `  operator add LOGIN --role admin|billing|support|readonly [--name NAME] [--json]
                                 create a console operator; the password (12+ characters) is read from
                                 stdin, one line (e.g. printf '%s\\n' "$PW" | tollgate operator add alice --role admin)
  operator list [--json]         list the operators (never their passwords)
  operator disable LOGIN         an operator who can no longer sign in (sessions end, tokens stop working)
  operator enable LOGIN          undo disable
  operator reset-password LOGIN  set a new password, read from stdin (the operator's sessions end)`;

/** The usage of each command group. */
export const GROUP_USAGE: Readonly<Record<string, string>> = {
  nas: NAS_USAGE,
  tariff: TARIFF_USAGE,
  subscriber: SUBSCRIBER_USAGE,
  account: ACCOUNT_USAGE,
  payment: PAYMENT_USAGE,
  sessions: SESSIONS_USAGE,
  ledger: LEDGER_USAGE,
  operator: OPERATORS_USAGE,
  import: `${IMPORT_CSV_USAGE}\n${IMPORT_FREERADIUS_USAGE}`,
};

export const OPERATOR_USAGE = Object.values(GROUP_USAGE).join('\n');
