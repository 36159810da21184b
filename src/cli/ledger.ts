/**
 * `tollgate ledger verify`: balance = Σ payments + Σ adjustments − Σ charges for every account; every session's
 * charges against its charged_traffic/charged_time; charged_time and usage months' charged_traffic against the
 * cumulative floors under the subscriber's tariff; no journal record stranded or rejected. Exit 1 if any fails.
 */
import type { LedgerVerification, VerifyList } from '../domain/ports.js';
import { EXIT, parseArgs, UsageError, withStore, type CliEnv } from './common.js';

/** The lines for people: one per problem, then the summary. */
export function verificationText(r: LedgerVerification): string {
  const lines: string[] = [];
  for (const m of r.mismatches) {
    lines.push(`account ${m.accountId}: balance ${m.balance}, expected ${m.expected} (difference ${m.balance - m.expected})`);
  }
  const more = (list: VerifyList<unknown>, what: string): void => {
    if (list.count > list.items.length) lines.push(`… and ${list.count - list.items.length} more ${what}`);
  };
  for (const m of r.sessionCharges.items) {
    lines.push(`session ${m.sessionId}: charged_${m.kind} ${m.charged}, but its ${m.kind} charges sum to ${m.charges}`);
  }
  more(r.sessionCharges, 'sessions whose charges differ');
  for (const m of r.sessionTime.items) {
    lines.push(`session ${m.sessionId}: charged_time ${m.chargedTime}, expected ${m.expected} (${m.ratedSeconds} s at ${m.pricePerMinute}/min, subscriber ${m.subscriberId})`);
  }
  more(r.sessionTime, 'sessions whose time charge differs');
  for (const m of r.usageTraffic.items) {
    lines.push(
      `usage of subscriber ${m.subscriberId} in ${m.month.slice(0, 7)}: charged_traffic ${m.chargedTraffic}, expected ${m.expected} ` +
        `(${m.octets} octets, ${m.includedBytes} included, ${m.pricePerGB}/GB)`,
    );
  }
  more(r.usageTraffic, 'usage months whose traffic charge differs');
  if (r.journal.stranded > 0) {
    lines.push(`journal: ${r.journal.stranded} rows older than 5 minutes not rated (oldest ${r.journal.oldestStrandedSeconds ?? '?'} s): is a rater running?`);
  }
  if (r.journal.rejected > 0) lines.push(`journal: ${r.journal.rejected} rejected rows in accounting_journal_rejected: fix and replay, or delete them`);
  lines.push(
    `ledger: ${r.accounts} accounts, ${r.mismatches.length} mismatches; ${r.sessions} sessions, ${r.sessionCharges.count} charge mismatches, ` +
      `${r.sessionTime.count} time mismatches; ${r.usageMonths} usage months, ${r.usageTraffic.count} traffic mismatches; ` +
      `journal: ${r.journal.stranded} stranded, ${r.journal.rejected} rejected`,
  );
  return `${lines.join('\n')}\n`;
}

export async function ledgerCommand(sub: string | undefined, argv: readonly string[], env: CliEnv): Promise<number> {
  if (sub !== 'verify') throw new UsageError(`unknown ledger subcommand ${JSON.stringify(sub ?? '')} (verify)`);
  const args = parseArgs(argv, { '--json': 'flag' });
  return withStore(env, args, async ({ store }) => {
    const result = await store.ledger.verify();
    env.stdout(args.flags.has('--json') ? `${JSON.stringify(result)}\n` : verificationText(result));
    return result.problems > 0 ? EXIT.FAILURE : EXIT.OK;
  });
}
