/**
 * Accounting-Request → Accounting-Response, sent only after the record is durable (DESIGN.md invariant 4):
 * the request is decoded with the dictionary and appended to the journal; if the append fails, no reply is
 * sent and the NAS retransmits. Rating into charges builds on this record stream.
 */
import type { Logger } from '../observability/logger.js';
import { decodeAttributes } from '../radius/attributes.js';
import { Code } from '../radius/codes.js';
import type { Dictionary } from '../radius/dictionary.js';
import type { AccountingJournal } from '../store/accounting-journal.js';
import type { Reply, RequestContext } from '../transport/udp-server.js';

const RESPONSE: Reply = { code: Code.AccountingResponse, attributes: [] };

export class AccountingHandler {
  constructor(
    private readonly dict: Dictionary,
    private readonly journal: AccountingJournal,
    private readonly log: Logger,
  ) {}

  async handle(ctx: RequestContext): Promise<Reply> {
    const attributes: Record<string, unknown> = {};
    for (const a of decodeAttributes(this.dict, ctx.packet.attributes)) {
      const key = a.tag ? `${a.name}:${a.tag}` : a.name;
      const prev = attributes[key];
      attributes[key] = prev === undefined ? a.value : Array.isArray(prev) ? [...(prev as unknown[]), a.value] : [prev, a.value];
    }
    await this.journal.append({
      receivedAt: new Date().toISOString(),
      nas: ctx.client.name,
      source: `${ctx.source.address}:${ctx.source.port}`,
      id: ctx.packet.identifier,
      attributes,
    });
    if (this.log.isLevelEnabled('debug')) {
      this.log.debug({ nas: ctx.client.name, id: ctx.packet.identifier, status: attributes['Acct-Status-Type'], session: attributes['Acct-Session-Id'] }, 'accounting recorded');
    }
    return RESPONSE;
  }
}
