/**
 * Accounting-Request → Accounting-Response, sent only after the record is durable (docs/design.md invariant 4): the
 * record goes to the accounting journal, which commits it with the others that arrived meanwhile (group
 * commit). If the commit fails, no reply is sent and the NAS retransmits; exactly-once rating makes the
 * retransmission safe. The rater applies journaled records to sessions and charges right after.
 */
import type { AccountingJournal } from '../billing/journal.js';
import { accountingRecordOf } from './accounting-record.js';
import type { Logger } from '../observability/logger.js';
import { countDrop, DropReason } from '../observability/metrics.js';
import { Code } from '../radius/codes.js';
import type { Reply, RequestContext } from '../radius/handler.js';

const RESPONSE: Reply = { code: Code.AccountingResponse, attributes: [] };

export class AccountingHandler {
  constructor(
    private readonly journal: Pick<AccountingJournal, 'submit'>,
    private readonly log: Logger,
  ) {}

  async handle(ctx: RequestContext): Promise<Reply | null> {
    const record = accountingRecordOf(ctx.packet, ctx.client, new Date());
    if ('error' in record) {
      // Without a usable Acct-Status-Type (or with counters of the wrong size) there is nothing to record:
      // dropped and counted, as FreeRADIUS drops an invalid Accounting-Request.
      countDrop(DropReason.Malformed);
      ctx.inputProblem(DropReason.Malformed, { error: record.error }, 'invalid Accounting-Request dropped');
      return null;
    }
    await this.journal.submit(record);
    if (this.log.isLevelEnabled('debug')) {
      this.log.debug({ nas: ctx.client.name, id: ctx.packet.identifier, status: record.status, session: record.acctSessionId, user: record.username }, 'accounting journaled');
    }
    return RESPONSE;
  }
}
