/**
 * Accounting-Request → Accounting-Response, sent only after the record's effect is committed (DESIGN.md
 * invariant 4): the record goes to the AccountingWriter, which rates it and commits it with the others that
 * arrived meanwhile (group commit). If the transaction fails, no reply is sent and the NAS retransmits;
 * exactly-once rating makes the retransmission safe. An account whose state changed (blocked, or active again)
 * is announced on the change feed so every instance's next Access-Request sees it.
 */
import type { AccountingWriter } from '../billing/accounting-writer.js';
import { accountingRecordOf } from '../billing/record.js';
import type { Logger } from '../observability/logger.js';
import { countDrop, DropReason } from '../observability/metrics.js';
import { Code } from '../radius/codes.js';
import type { ChangeFeed } from '../store/ports.js';
import type { Reply, RequestContext } from '../transport/udp-server.js';

const RESPONSE: Reply = { code: Code.AccountingResponse, attributes: [] };

export class AccountingHandler {
  constructor(
    private readonly writer: AccountingWriter,
    private readonly changes: ChangeFeed,
    private readonly log: Logger,
  ) {}

  async handle(ctx: RequestContext): Promise<Reply | null> {
    const record = accountingRecordOf(ctx.packet, ctx.client, new Date());
    if ('error' in record) {
      // Without a usable Acct-Status-Type (or with counters of the wrong size) there is nothing to record:
      // dropped and counted, as FreeRADIUS drops an invalid Accounting-Request.
      countDrop(DropReason.Malformed);
      this.log.warn({ nas: ctx.client.name, id: ctx.packet.identifier, error: record.error }, 'invalid Accounting-Request dropped');
      return null;
    }
    const result = await this.writer.submit(record);
    for (const change of result.accountStateChanges) {
      this.changes.publish({ kind: 'account', id: change.accountId }).catch((err: unknown) => {
        this.log.error({ err, accountId: change.accountId }, 'account change not published; other instances may serve stale state');
      });
    }
    if (this.log.isLevelEnabled('debug')) {
      this.log.debug({ nas: ctx.client.name, id: ctx.packet.identifier, status: record.status, session: record.acctSessionId, user: record.username }, 'accounting committed');
    }
    return RESPONSE;
  }
}
