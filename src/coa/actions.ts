/**
 * Restrict, restore and change the speed of a live session (docs/reference.md §6, docs/tariffs.md): the NAS's
 * vendor profile says which CoA attributes do it and whether restore or a rate change is a Disconnect instead; the
 * session's identity (User-Name, Acct-Session-Id, Framed-IP-Address) says which session. A NAKed CoA falls back to
 * a Disconnect-Request, after which the subscriber re-authenticates and gets the answer for the new state; so does
 * a profile without a CoA form for the action (an empty template set).
 */
import { isIPv4 } from 'node:net';
import type { RateSpeed, VendorProfiles } from '../aaa/vendor-profiles.js';
import type { SubscriberSnapshot, VendorName } from '../domain/types.js';
import { Attr } from '../radius/codes.js';
import { textToOctets } from '../radius/octets.js';
import { ipv4ToOctets } from '../radius/primitives.js';
import type { RawAttribute } from '../radius/packet.js';
import type { CoaClient, CoaNas, CoaOutcome } from './client.js';

/** A NAS as the actions need it: where to send, and which vendor profile applies. */
export interface CoaTarget extends CoaNas {
  readonly vendor: VendorName;
}

/** The live session to act on. */
export interface CoaSession {
  /** `sessions.id`, for the audit. */
  readonly id?: number | null | undefined;
  readonly username: string;
  readonly acctSessionId: string | null;
  /** IPv4 address of the session; other values are not sent (Framed-IP-Address is IPv4 only). */
  readonly framedIp: string | null;
}

export interface ActionOutcome {
  /** Whether the NAS acknowledged the CoA or the fallback Disconnect. */
  readonly ok: boolean;
  /** The CoA-Request's outcome, when one was sent. */
  readonly coa?: CoaOutcome;
  /** The Disconnect-Request's outcome, when one was sent. */
  readonly disconnect?: CoaOutcome;
}

type Sender = Pick<CoaClient, 'send'>;

/** The speeds of a rate change: the new one, and the one the NAS was last told (null: not known). */
export interface RateChangeSpeeds {
  readonly speed: RateSpeed;
  readonly previous?: RateSpeed | null | undefined;
}

interface ActionPlan {
  readonly templates: (profiles: VendorProfiles, vendor: VendorName, snapshot: SubscriberSnapshot, speeds: RateChangeSpeeds | undefined) => readonly RawAttribute[];
  /** Skip the CoA and disconnect straight away. */
  readonly disconnectOnly: (profiles: VendorProfiles, vendor: VendorName) => boolean;
}

const PLANS = {
  restrict: { templates: (p, v, s) => p.coaRestrict(v, s), disconnectOnly: () => false },
  restore: { templates: (p, v, s) => p.coaRestore(v, s), disconnectOnly: (p, v) => p.disconnectOnRestore(v) },
  // `rate_change` is the audit's name for it (coa_audit.action, docs/tariffs.md). Without speeds there is nothing
  // to render; only rateChange() runs this plan, and it always passes them.
  rate_change: {
    templates: (p, v, s, speeds) => (speeds === undefined ? [] : p.rateChange(v, s, speeds.speed, speeds.previous)),
    disconnectOnly: (p, v) => p.rateChangeBy(v) === 'disconnect',
  },
} as const satisfies Record<string, ActionPlan>;

export type CoaAction = keyof typeof PLANS;

/** User-Name, Acct-Session-Id and Framed-IP-Address, those known (RFC 5176 §3 session identification). */
export function sessionIdentity(session: CoaSession): RawAttribute[] {
  // The exact octets the NAS sent (stored in their text form: src/radius/octets.ts), or it finds no session.
  const attrs: RawAttribute[] = [{ type: Attr.UserName, value: textToOctets(session.username) }];
  if (session.acctSessionId) attrs.push({ type: Attr.AcctSessionId, value: textToOctets(session.acctSessionId) });
  const framedIp = session.framedIp && isIPv4(session.framedIp) ? ipv4ToOctets(session.framedIp) : undefined;
  if (framedIp) attrs.push({ type: Attr.FramedIPAddress, value: framedIp });
  return attrs;
}

async function run(
  action: CoaAction,
  client: Sender,
  profiles: VendorProfiles,
  nas: CoaTarget,
  session: CoaSession,
  snapshot: SubscriberSnapshot,
  speeds?: RateChangeSpeeds,
): Promise<ActionOutcome> {
  const plan: ActionPlan = PLANS[action];
  const identity = sessionIdentity(session);
  const common = { nas, username: session.username, sessionId: session.id ?? null, action };
  const templates = plan.disconnectOnly(profiles, nas.vendor) ? [] : plan.templates(profiles, nas.vendor, snapshot, speeds);
  let coa: CoaOutcome | undefined;
  if (templates.length > 0) {
    coa = await client.send({ ...common, kind: 'coa', attributes: [...identity, ...templates] });
    // Only a NAK falls back: after a timeout the NAS is unreachable and a Disconnect would time out as well.
    if (coa.result !== 'nak') return { ok: coa.result === 'ack', coa };
  }
  const disconnect = await client.send({ ...common, kind: 'disconnect', attributes: identity });
  return coa ? { ok: disconnect.result === 'ack', coa, disconnect } : { ok: disconnect.result === 'ack', disconnect };
}

/** Moves a live session behind the captive portal (profile `coaRestrict`; Disconnect when NAKed or none). */
export function restrict(
  client: Sender,
  profiles: VendorProfiles,
  nas: CoaTarget,
  session: CoaSession,
  snapshot: SubscriberSnapshot,
): Promise<ActionOutcome> {
  return run('restrict', client, profiles, nas, session, snapshot);
}

/** Gives a live session its normal service back (profile `coaRestore`, or Disconnect per `disconnectOnRestore`). */
export function restore(
  client: Sender,
  profiles: VendorProfiles,
  nas: CoaTarget,
  session: CoaSession,
  snapshot: SubscriberSnapshot,
): Promise<ActionOutcome> {
  return run('restore', client, profiles, nas, session, snapshot);
}

/**
 * Gives a live session a new speed (FUP step, schedule window, add-on, tariff change): profile `rateChange` rendered
 * with `speeds.speed` (and `speeds.previous`, the speed the NAS was last told, where the vendor names the instance
 * to replace by it), or a Disconnect-Request per `rateChangeBy`, when the CoA is NAKed, or when there is nothing to
 * send (e.g. the previous speed a Juniper CoA needs is not known); the subscriber then reconnects and the
 * Access-Accept carries the speed. Audited as action `rate_change`. A timeout is not followed by a Disconnect
 * (the NAS is unreachable): the caller keeps the old speed recorded so a later pass retries.
 */
export function rateChange(
  client: Sender,
  profiles: VendorProfiles,
  nas: CoaTarget,
  session: CoaSession,
  snapshot: SubscriberSnapshot,
  speeds: RateChangeSpeeds,
): Promise<ActionOutcome> {
  return run('rate_change', client, profiles, nas, session, snapshot, speeds);
}
