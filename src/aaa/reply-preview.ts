/**
 * What a subscriber would be answered right now by a NAS of a given vendor, without any packet: the same decision
 * (authorize.ts) and the same vendor profile rendering (vendor-profiles.ts) the access handler uses, with the same
 * Class last, decoded back into names and text for the console (GET /api/v1/subscribers/{id}/reply-preview).
 * What depends on the request itself is not in it: the credential check, the MAC binding and Simultaneous-Use
 * (each a reject of its own), a Framed-IP-Address the request carries (SKAT's clientIp), and MS-CHAPv2's
 * MS-CHAP2-Success and MPPE keys.
 */
import type { SubscriberSnapshot, VendorName } from '../domain/types.js';
import type { Attribute } from '../radius/attributes.js';
import { Code, codeName } from '../radius/codes.js';
import { decodeAttributes } from '../radius/decode.js';
import type { Dictionary } from '../radius/dictionary.js';
import type { RawAttribute } from '../radius/packet.js';
import { SERVICE_CLASS } from './access-handler.js';
import { authorize } from './authorize.js';
import { reasonText } from './reason-text.js';
import type { VendorProfiles } from './vendor-profiles.js';

export interface PreviewAttribute {
  readonly name: string;
  /** The vendor's dictionary name, null for a standard attribute. */
  readonly vendor: string | null;
  readonly value: string;
  /** RFC 2868 tag, when the attribute has one. */
  readonly tag?: number;
}

export interface ReplyPreview {
  readonly result: 'accept' | 'redirect' | 'reject';
  readonly reason: string | null;
  readonly reasonText: string | null;
  /** Access-Accept or Access-Reject. */
  readonly code: string;
  readonly attributes: readonly PreviewAttribute[];
}

/** The reply's code and raw attributes, as AccessHandler.decide builds them for a request with no Framed-IP-Address. */
export function replyOf(profiles: VendorProfiles, vendor: VendorName, snapshot: SubscriberSnapshot): { result: ReplyPreview['result']; reason: string | null; code: number; attributes: readonly RawAttribute[] } {
  const decision = authorize(snapshot);
  if (decision.kind === 'reject') return { result: 'reject', reason: decision.reason, code: Code.AccessReject, attributes: [] };
  if (decision.kind === 'redirect') {
    const redirect = profiles.redirect(vendor, snapshot, {});
    return { result: 'redirect', reason: decision.reason, code: redirect.code, attributes: [...redirect.attributes, SERVICE_CLASS.restricted] };
  }
  return { result: 'accept', reason: null, code: Code.AccessAccept, attributes: [...profiles.accept(vendor, snapshot, {}), SERVICE_CLASS.normal] };
}

/** Attributes as the console shows them: name, vendor, value as text. */
export function describeAttributes(dict: Dictionary, attributes: readonly RawAttribute[]): PreviewAttribute[] {
  return decodeAttributes(dict, attributes).map((a) => {
    const def = dict.attribute(a.name);
    const vendor = def && def.vendorId !== 0 ? (dict.vendor(def.vendorId)?.name ?? String(def.vendorId)) : null;
    return { name: a.name, vendor, value: valueText(dict, a), ...(a.tag !== undefined && a.tag !== 0 ? { tag: a.tag } : {}) };
  });
}

function valueText(dict: Dictionary, a: Attribute): string {
  const v = a.value;
  if (Buffer.isBuffer(v)) return isPrintable(v) ? v.toString('latin1') : `0x${v.toString('hex')}`;
  if (typeof v === 'number') return dict.attribute(a.name)?.valueNames.get(v) ?? String(v);
  return String(v);
}

function isPrintable(b: Buffer): boolean {
  if (b.length === 0) return false;
  for (const c of b) if (c < 0x20 || c > 0x7e) return false;
  return true;
}

export function previewReply(profiles: VendorProfiles, dict: Dictionary, vendor: VendorName, snapshot: SubscriberSnapshot): ReplyPreview {
  const r = replyOf(profiles, vendor, snapshot);
  return { result: r.result, reason: r.reason, reasonText: reasonText(r.reason), code: codeName(r.code), attributes: describeAttributes(dict, r.attributes) };
}
