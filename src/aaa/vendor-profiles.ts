/**
 * Vendor profiles: what Tollgate answers each kind of BRAS, as data (DESIGN invariant 7). A profile holds
 * attribute templates for normal service (`accept`), for the captive portal (`redirect`, an Access-Accept for most
 * BRAS, the restricted Access-Reject for VAS Experts SKAT), for CoA restrict/restore, and for the CoA that changes
 * a live session's speed (`rateChange`, rendered with the new speed: docs/tariffs.md), plus constants (`vars`).
 *
 * Templates are `Name: value` maps; `Name:<tag>` sets an RFC 2868 tag (`ERX-Service-Activate:1`); a list value sends
 * the attribute once per item (two `Cisco-AVPair`). String values may hold `${variable}` placeholders:
 * - per subscriber: `username`, `tariff` (name), `tariffId`, `downKbps`, `upKbps`, `downBps`, `upBps`, `downMbps`,
 *   `upMbps`, `downBurstBytes`/`upBurstBytes` (1.5 s at the rate, a policer's usual normal burst), `framedIp`,
 *   `framedPool`, and `clientIp` (framedIp, else the Framed-IP-Address of the Access-Request: SKAT's L3 BRAS sends
 *   the subscriber's address there and wants it echoed); in `rateChange` the speed variables are the new speed's;
 * - in `rateChange` only: `prevDownKbps`, `prevUpKbps`, `prevDownBps`, `prevUpBps`, the speed the session had (what
 *   the NAS was last told), for a BRAS that names the service instance to deactivate by its arguments (Juniper);
 * - per profile: the constants of its `vars` map (`unpaidList`, `redirectService`, `portalUrl`, `interimInterval`…).
 * An attribute whose template uses a variable that is empty for this subscriber (no framedIp, no tariff) or an
 * empty constant (`portalUrl: ""`) is left out, never sent empty. `${…}` is the only syntax: there is no escape.
 *
 * The access handler adds Tollgate's own Class (`tollgate:normal` / `tollgate:restricted`) to every accept and
 * redirect answer after these attributes, so a Class in a template is sent as well, never instead.
 *
 * Configuration (`vendors.<vendor>`) overrides a built-in profile key by key: `vars` entry by entry, templates
 * attribute by attribute (names compared case-insensitively; `null` removes a built-in attribute), `redirect.code`,
 * `disconnectOnRestore` and `rateChangeBy` as values.
 *
 * Compilation resolves every name against the dictionary, encodes every attribute without a subscriber variable
 * once, and trial-encodes the others with a sample subscriber, so a bad name or value stops start-up with its key
 * named. Per request only the dynamic attributes are interpolated and encoded, and the result is cached (see
 * VendorProfiles).
 */
import { ConfigError } from '../config/errors.js';
import type { Issue } from '../config/errors.js';
import { RATE_CHANGE_BY, REDIRECT_CODES } from '../config/vendors.js';
import { VENDORS, type SubscriberSnapshot, type VendorName } from '../domain/types.js';
import type { Attribute } from '../radius/attributes.js';
import { encodeAttribute } from '../radius/encode.js';
import { Code } from '../radius/codes.js';
import type { Dictionary } from '../radius/dictionary.js';
import { RadiusError } from '../radius/errors.js';
import type { RawAttribute } from '../radius/packet.js';

// ---------------------------------------------------------------------------------------------------------------
// Configuration types

export type TemplateScalar = string | number;
/** One attribute's template: a value, or a list of values for an attribute sent several times. */
export type TemplateValue = TemplateScalar | readonly TemplateScalar[];
export type AttributeTemplates = Readonly<Record<string, TemplateValue>>;
/** Templates in an override: `null` removes the built-in attribute of that name. */
export type TemplateOverrides = Readonly<Record<string, TemplateValue | null>>;

export { RATE_CHANGE_BY, REDIRECT_CODES };
export type RedirectCode = (typeof REDIRECT_CODES)[number];
export type RateChangeBy = (typeof RATE_CHANGE_BY)[number];

export interface ProfileConfig {
  /** Operator constants for the templates, e.g. `unpaidList: unpaid`. */
  readonly vars: Readonly<Record<string, TemplateScalar>>;
  /** Access-Accept for normal service. */
  readonly accept: AttributeTemplates;
  /** The captive portal: which reply code and what it carries. */
  readonly redirect: { readonly code: RedirectCode; readonly attributes: AttributeTemplates };
  /** CoA-Request that moves a live session behind the portal. Empty: this BRAS has no CoA form for it. */
  readonly coaRestrict: AttributeTemplates;
  /** CoA-Request that gives a live session its normal service back (when disconnectOnRestore is false). */
  readonly coaRestore: AttributeTemplates;
  /** Restore by Disconnect-Request (the subscriber re-authenticates into normal service) rather than by CoA. */
  readonly disconnectOnRestore: boolean;
  /**
   * CoA-Request that changes a live session's speed (FUP step, schedule window, add-on, tariff change), rendered
   * with the new speed in `${downKbps}`, `${upKbps}` and the other speed variables. Sent when rateChangeBy is 'coa'.
   */
  readonly rateChange: AttributeTemplates;
  /**
   * How a live session gets a new speed: 'coa' sends rateChange (a NAK falls back to a Disconnect-Request);
   * 'disconnect' sends a Disconnect-Request, and the subscriber re-authenticates into the new speed. 'coa' with no
   * rateChange attribute is a configuration error.
   */
  readonly rateChangeBy: RateChangeBy;
}

/** The speed a rate change gives a live session, in kbit/s like the tariff's. */
export interface RateSpeed {
  readonly downKbps: number;
  readonly upKbps: number;
}

export interface PartialProfileConfig {
  readonly vars?: Readonly<Record<string, TemplateScalar>> | undefined;
  readonly accept?: TemplateOverrides | undefined;
  readonly redirect?: { readonly code?: RedirectCode | undefined; readonly attributes?: TemplateOverrides | undefined } | undefined;
  readonly coaRestrict?: TemplateOverrides | undefined;
  readonly coaRestore?: TemplateOverrides | undefined;
  readonly disconnectOnRestore?: boolean | undefined;
  readonly rateChange?: TemplateOverrides | undefined;
  readonly rateChangeBy?: RateChangeBy | undefined;
}

/** `vendors` in the configuration: per vendor, what changes from the built-in profile. */
export type ProfileOverrides = { readonly [V in VendorName]?: PartialProfileConfig | undefined };

// The `vendors` key is validated with the rest of the configuration (src/config/vendors.ts, profilesSchema).

// ---------------------------------------------------------------------------------------------------------------
// Built-in profiles (docs/reference.md §5 vendor attributes, §6 captive portal per BRAS)

const FRAMED = { 'Framed-IP-Address': '${framedIp}', 'Framed-Pool': '${framedPool}' } as const;
const INTERIM = { 'Acct-Interim-Interval': '${interimInterval}' } as const;
const NONE: AttributeTemplates = {};

export const DEFAULT_PROFILES: Readonly<Record<VendorName, ProfileConfig>> = {
  // Any RFC 2865 NAS: address or pool only, no speed. No standard attribute restricts a session, so the portal is
  // an Access-Reject with a Reply-Message, and a paid-up subscriber gets service back by reconnecting. Rate change
  // = Disconnect: RFC 2865/5176 define no attribute that sets a session's speed, so the subscriber reconnects and
  // gets whatever the NAS does with the new Access-Accept.
  generic: {
    vars: { interimInterval: 300, rejectMessage: 'Service restricted: please top up your account' },
    accept: { ...FRAMED, ...INTERIM },
    redirect: { code: 'Access-Reject', attributes: { 'Reply-Message': '${rejectMessage}' } },
    coaRestrict: NONE,
    coaRestore: NONE,
    disconnectOnRestore: true,
    rateChange: NONE,
    rateChangeBy: 'disconnect',
  },
  // MikroTik (§5 vendor 14988, §6): Rate-Limit is "rx/tx" from the router's side, so rx = the subscriber's upload.
  // Portal = the unpaid Address-List that the operator's firewall NATs to the portal (optionally a low Rate-Limit
  // via redirectRateLimit). Restore = Disconnect, as CoA adds the new list without taking the old one away.
  // Rate change = CoA with the accept's Rate-Limit: RouterOS's RADIUS client takes Mikrotik-Rate-Limit in an
  // incoming CoA (`/radius incoming set accept=yes`, port 3799) and updates the session's dynamic queue in place.
  mikrotik: {
    vars: { interimInterval: 300, unpaidList: 'unpaid', paidList: '', redirectRateLimit: '' },
    accept: { ...FRAMED, 'Mikrotik-Rate-Limit': '${upKbps}k/${downKbps}k', ...INTERIM },
    redirect: {
      code: 'Access-Accept',
      attributes: { ...FRAMED, 'Mikrotik-Address-List': '${unpaidList}', 'Mikrotik-Rate-Limit': '${redirectRateLimit}', ...INTERIM },
    },
    coaRestrict: { 'Mikrotik-Address-List': '${unpaidList}', 'Mikrotik-Rate-Limit': '${redirectRateLimit}' },
    coaRestore: { 'Mikrotik-Address-List': '${paidList}', 'Mikrotik-Rate-Limit': '${upKbps}k/${downKbps}k' },
    disconnectOnRestore: true,
    rateChange: { 'Mikrotik-Rate-Limit': '${upKbps}k/${downKbps}k' },
    rateChangeBy: 'coa',
  },
  // accel-ppp (§5 vendor 55999, §6): speed in Filter-Id "down/up" kbit/s ([shaper] attr=Filter-Id). PPPoE portal =
  // an address from the unpaid pool + a low Filter-Id, restored by Disconnect so the client redials. IPoE option:
  // define the attribute named by `[ipoe] attr-l4-redirect=` in a site dictionary (radius.dictionaries), then
  // override redirect.attributes { Framed-Pool: null, Filter-Id: null, <attr>: 1 }, coaRestrict { <attr>: 1 },
  // coaRestore { <attr>: 0 } and disconnectOnRestore: false (needs [dae-server]).
  // Rate change = CoA with the accept's Filter-Id ("down/up" kbit/s, docs.accel-ppp.org [shaper] attr=): the shaper
  // module handles the RADIUS CoA event as it does the Access-Accept and re-applies the rate to the live session
  // (needs [dae-server]).
  'accel-ppp': {
    vars: { interimInterval: 300, unpaidPool: 'unpaid', unpaidRate: '1024/1024' },
    accept: { ...FRAMED, 'Filter-Id': '${downKbps}/${upKbps}', ...INTERIM },
    redirect: { code: 'Access-Accept', attributes: { 'Framed-Pool': '${unpaidPool}', 'Filter-Id': '${unpaidRate}', ...INTERIM } },
    coaRestrict: NONE,
    coaRestore: { 'Filter-Id': '${downKbps}/${upKbps}' },
    disconnectOnRestore: true,
    rateChange: { 'Filter-Id': '${downKbps}/${upKbps}' },
    rateChangeBy: 'coa',
  },
  // Cisco ISG (§5 vendor 9, §6): user-profile policing in Cisco-Account-Info "QU;rate;burst;D;rate;burst" (bit/s,
  // bytes); portal = activate the L4-redirect service "A<service>"; restore = CoA deactivating that service (the
  // policing from the logon stays).
  // Rate change = CoA pushing the accept's policing again with the new rates. The accept polices at the user-profile
  // level (VSA 250, "Config level = Per-user" in `show subscriber session`: "Configuring ISG Policies for
  // Regulating Network Access"), and ISG's precedence is per-user > service profile > interface, except that "a CoA
  // per-user push replaces the current per-user configuration for any overlapping feature" ("Configuring MQC
  // Support for IP Sessions"). So a CoA carrying the per-user "QU;…;D;…" replaces the policing in place, while
  // activating a speed service (VSA 251 policing) would stay shadowed by the per-user policing from the logon, and
  // RADIUS-Based Policing (`qos-policy-in/out=add-class(sub,…)` in Cisco-AVPair) needs an MQC policy active on the
  // session, which this accept does not apply. An ISG that gives speed by services or MQC overrides rateChange.
  cisco: {
    vars: { interimInterval: 300, redirectService: 'REDIRECT' },
    accept: { ...FRAMED, 'Cisco-Account-Info': 'QU;${upBps};${upBurstBytes};D;${downBps};${downBurstBytes}', ...INTERIM },
    redirect: {
      code: 'Access-Accept',
      attributes: { ...FRAMED, 'Cisco-Account-Info': ['A${redirectService}', 'QU;${upBps};${upBurstBytes};D;${downBps};${downBurstBytes}'], ...INTERIM },
    },
    coaRestrict: { 'Cisco-AVPair': ['subscriber:command=activate-service', 'subscriber:service-name=${redirectService}'] },
    coaRestore: { 'Cisco-AVPair': ['subscriber:command=deactivate-service', 'subscriber:service-name=${redirectService}'] },
    disconnectOnRestore: false,
    rateChange: { 'Cisco-Account-Info': 'QU;${upBps};${upBurstBytes};D;${downBps};${downBurstBytes}' },
    rateChangeBy: 'coa',
  },
  // Juniper MX BNG / E-series (§5 vendor 4874, §6): service activation, tag 1. The internet service takes
  // (upstream, downstream) in bit/s as JunosE's tiered(inputBW, outputBW) example does; its dynamic profile on the
  // router defines what the arguments mean. ERX-Qos-Profile-Name or ERX-Ingress/Egress-Policy-Name are the static
  // alternatives (override accept). Portal = the redirect service; CoA swaps the two services.
  // Rate change = one CoA deactivating the internet service instance in force and activating it with the new
  // arguments. Junos subscriber management identifies a service instance in a CoA by its complete activation string,
  // arguments included ("Management of Subscriber Services with Multiple Instances": INTERNET(1,2) and INTERNET(3,4)
  // are two instances), so the deactivation names the previous speed (${prevUpBps}, ${prevDownBps}); and it runs a
  // CoA's deactivations before its activations (Junos 16.1R4, "multiple activation and deactivation requests in a
  // single CoA message"). Without a known previous speed the session is disconnected instead (see rateChange()).
  // A JunosE router that deactivates by bare name overrides ERX-Service-Deactivate with '${internetService}'.
  juniper: {
    vars: { interimInterval: 300, internetService: 'INTERNET', redirectService: 'REDIRECT' },
    accept: { ...FRAMED, 'ERX-Service-Activate:1': '${internetService}(${upBps},${downBps})', ...INTERIM },
    redirect: { code: 'Access-Accept', attributes: { ...FRAMED, 'ERX-Service-Activate:1': '${redirectService}', ...INTERIM } },
    coaRestrict: { 'ERX-Service-Deactivate': '${internetService}', 'ERX-Service-Activate:1': '${redirectService}' },
    coaRestore: { 'ERX-Service-Deactivate': '${redirectService}', 'ERX-Service-Activate:1': '${internetService}(${upBps},${downBps})' },
    disconnectOnRestore: false,
    rateChange: {
      'ERX-Service-Deactivate': '${internetService}(${prevUpBps},${prevDownBps})',
      'ERX-Service-Activate:1': '${internetService}(${upBps},${downBps})',
    },
    rateChangeBy: 'coa',
  },
  // Huawei ME60/NE (§5 vendor 2011, §6): CAR in bit/s, Input = from the subscriber (upload). Portal = a restricted
  // user group (Huawei-Policy-Name) plus Huawei-PortalURL (FreeRADIUS's spelling of HW-Portal-URL) when portalUrl
  // is set; otherwise the user group's own redirect applies. Restore = Disconnect unless normalPolicy is set.
  // Rate change = CoA with the accept's CAR pair, no user group change: the ME60 applies the committed rates (our
  // Input/Output-Average-Rate are its HW-Input/Output-Committed-Information-Rate, 2011/2 and /5) delivered to an
  // online PPP user by CoA (Huawei support case "DL PIR delivered by a RADIUS server through CoA", ME60 V600R002).
  huawei: {
    vars: { interimInterval: 300, redirectPolicy: 'unpaid', normalPolicy: '', portalUrl: '' },
    accept: { ...FRAMED, 'Huawei-Input-Average-Rate': '${upBps}', 'Huawei-Output-Average-Rate': '${downBps}', 'Huawei-Policy-Name': '${normalPolicy}', ...INTERIM },
    redirect: { code: 'Access-Accept', attributes: { ...FRAMED, 'Huawei-Policy-Name': '${redirectPolicy}', 'Huawei-PortalURL': '${portalUrl}', ...INTERIM } },
    coaRestrict: { 'Huawei-Policy-Name': '${redirectPolicy}', 'Huawei-PortalURL': '${portalUrl}' },
    coaRestore: { 'Huawei-Policy-Name': '${normalPolicy}', 'Huawei-Input-Average-Rate': '${upBps}', 'Huawei-Output-Average-Rate': '${downBps}' },
    disconnectOnRestore: true,
    rateChange: { 'Huawei-Input-Average-Rate': '${upBps}', 'Huawei-Output-Average-Rate': '${downBps}' },
    rateChangeBy: 'coa',
  },
  // Ericsson-AB / Redback SmartEdge (§5 vendor 2352; names carry no prefix): speed by named QoS profiles configured
  // on the router, policing = inbound (upload), metering = outbound (download), named after the rate. Portal = an
  // HTTP-Redirect-Profile-Name (plus HTTP-Redirect-URL when portalUrl is set); restore = Disconnect.
  // Rate change = CoA naming the policing and metering profiles of the new speed, as the accept names them; the
  // router must have a profile for every speed a tariff, FUP step, window or add-on can give, as for the accept.
  // Source: the design table (docs/tariffs.md); Ericsson's list of CoA attributes was not reachable to re-check it,
  // so an operator confirms on a lab router (or sets rateChangeBy: disconnect).
  ericsson: {
    vars: { interimInterval: 300, redirectProfile: 'unpaid', portalUrl: '' },
    accept: { ...FRAMED, 'Qos-Policing-Profile-Name': 'up-${upKbps}k', 'Qos-Metering-Profile-Name': 'down-${downKbps}k', ...INTERIM },
    redirect: { code: 'Access-Accept', attributes: { ...FRAMED, 'HTTP-Redirect-Profile-Name': '${redirectProfile}', 'HTTP-Redirect-URL': '${portalUrl}', ...INTERIM } },
    coaRestrict: { 'HTTP-Redirect-Profile-Name': '${redirectProfile}', 'HTTP-Redirect-URL': '${portalUrl}' },
    coaRestore: { 'Qos-Policing-Profile-Name': 'up-${upKbps}k', 'Qos-Metering-Profile-Name': 'down-${downKbps}k' },
    disconnectOnRestore: true,
    rateChange: { 'Qos-Policing-Profile-Name': 'up-${upKbps}k', 'Qos-Metering-Profile-Name': 'down-${downKbps}k' },
    rateChangeBy: 'coa',
  },
  // VAS Experts SKAT (§5 vendor 43823, §6): inline policing "BV##<down kbps>#<up kbps>#<cs0..cs7 flags>". Portal =
  // an Access-Reject carrying the address, the login, a restricted policing profile and service 5 (allow-list +
  // HTTP redirect), which SKAT treats as "restricted", not "denied" (without Framed-IP-Address it IS a denial).
  // Restore = CoA switching service 5 off.
  // Rate change = CoA with the new inline policing profile in the accept's form: SKAT's RADIUS CoA sets the
  // subscriber's Policing-Profile as it sets Enable-Service for restore. Source: the design table (docs/tariffs.md);
  // VAS Experts' documentation was not reachable to re-check it, so an operator confirms on a lab SKAT.
  vasexperts: {
    vars: { interimInterval: 300, classFlags: '++++++++', allowList: 'allowlist', redirectPolicing: 'BV##1024#1024#++++++++' },
    accept: {
      'Framed-IP-Address': '${clientIp}',
      'VasExperts-UserName': '${username}',
      'VasExperts-Policing-Profile': 'BV##${downKbps}#${upKbps}#${classFlags}',
      ...INTERIM,
    },
    redirect: {
      code: 'Access-Reject',
      attributes: {
        'Framed-IP-Address': '${clientIp}',
        'VasExperts-UserName': '${username}',
        'VasExperts-Policing-Profile': '${redirectPolicing}',
        'VasExperts-Service-Profile': '5:${allowList}',
      },
    },
    coaRestrict: { 'VasExperts-Policing-Profile': '${redirectPolicing}', 'VasExperts-Service-Profile': '5:${allowList}' },
    coaRestore: { 'VasExperts-Enable-Service': '5:off', 'VasExperts-Policing-Profile': 'BV##${downKbps}#${upKbps}#${classFlags}' },
    disconnectOnRestore: false,
    rateChange: { 'VasExperts-Policing-Profile': 'BV##${downKbps}#${upKbps}#${classFlags}' },
    rateChangeBy: 'coa',
  },
};

/** A built-in profile with a configuration override applied key by key. */
export function mergeProfile(base: ProfileConfig, override: PartialProfileConfig | undefined): ProfileConfig {
  if (override === undefined) return base;
  return {
    vars: { ...base.vars, ...override.vars },
    accept: mergeTemplates(base.accept, override.accept),
    redirect: {
      code: override.redirect?.code ?? base.redirect.code,
      attributes: mergeTemplates(base.redirect.attributes, override.redirect?.attributes),
    },
    coaRestrict: mergeTemplates(base.coaRestrict, override.coaRestrict),
    coaRestore: mergeTemplates(base.coaRestore, override.coaRestore),
    disconnectOnRestore: override.disconnectOnRestore ?? base.disconnectOnRestore,
    rateChange: mergeTemplates(base.rateChange, override.rateChange),
    rateChangeBy: override.rateChangeBy ?? base.rateChangeBy,
  };
}

/** Attribute by attribute, names compared case-insensitively; a replaced attribute keeps its place; null removes. */
function mergeTemplates(base: AttributeTemplates, override: TemplateOverrides | undefined): AttributeTemplates {
  if (override === undefined) return base;
  const merged = new Map<string, readonly [string, TemplateValue]>();
  for (const [k, v] of Object.entries(base)) merged.set(k.toLowerCase(), [k, v]);
  for (const [k, v] of Object.entries(override)) {
    if (v === null) merged.delete(k.toLowerCase());
    else merged.set(k.toLowerCase(), [k, v]);
  }
  return Object.fromEntries(merged.values());
}

// ---------------------------------------------------------------------------------------------------------------
// Variables

/** What the Access-Request adds to the snapshot. */
export interface AccessRequestInfo {
  /** Framed-IP-Address of the Access-Request, dotted quad. */
  readonly framedIp?: string | undefined;
}

/**
 * One variable's value for a render. `speed` is the new speed of a rate change (it replaces the tariff's), and
 * `previous` the speed the session had; both undefined outside rateChange.
 */
type VariableReader = (
  s: SubscriberSnapshot,
  request: AccessRequestInfo | undefined,
  speed: RateSpeed | undefined,
  previous: RateSpeed | undefined,
) => string;

const kbps = (n: number | undefined): string => (n === undefined ? '' : String(n));
const bps = (n: number | undefined): string => (n === undefined ? '' : String(n * 1000));
// kbit/s ÷ 1000 is an exact short decimal ("1.5"); no rounding.
const mbps = (n: number | undefined): string => (n === undefined ? '' : String(n / 1000));
// Bytes sent in 1.5 s at the rate: n kbit/s × 1000 / 8 × 1.5.
const burst = (n: number | undefined): string => (n === undefined ? '' : String(Math.floor((n * 375) / 2)));

/** Per-subscriber variables; each returns '' when the subscriber has no value (the attribute is then left out). */
const SUBSCRIBER_VARIABLES: ReadonlyMap<string, VariableReader> = new Map<string, VariableReader>([
  ['username', (s) => s.username],
  ['tariff', (s) => s.tariff?.name ?? ''],
  ['tariffId', (s) => (s.tariff === null ? '' : String(s.tariff.id))],
  ['downKbps', (s, _r, sp) => kbps(sp?.downKbps ?? s.tariff?.downKbps)],
  ['upKbps', (s, _r, sp) => kbps(sp?.upKbps ?? s.tariff?.upKbps)],
  ['downBps', (s, _r, sp) => bps(sp?.downKbps ?? s.tariff?.downKbps)],
  ['upBps', (s, _r, sp) => bps(sp?.upKbps ?? s.tariff?.upKbps)],
  ['downMbps', (s, _r, sp) => mbps(sp?.downKbps ?? s.tariff?.downKbps)],
  ['upMbps', (s, _r, sp) => mbps(sp?.upKbps ?? s.tariff?.upKbps)],
  ['downBurstBytes', (s, _r, sp) => burst(sp?.downKbps ?? s.tariff?.downKbps)],
  ['upBurstBytes', (s, _r, sp) => burst(sp?.upKbps ?? s.tariff?.upKbps)],
  ['framedIp', (s) => s.framedIp ?? ''],
  ['framedPool', (s) => s.framedPool ?? ''],
  ['clientIp', (s, r) => (s.framedIp !== null && s.framedIp !== '' ? s.framedIp : (r?.framedIp ?? ''))],
  ['prevDownKbps', (_s, _r, _sp, prev) => kbps(prev?.downKbps)],
  ['prevUpKbps', (_s, _r, _sp, prev) => kbps(prev?.upKbps)],
  ['prevDownBps', (_s, _r, _sp, prev) => bps(prev?.downKbps)],
  ['prevUpBps', (_s, _r, _sp, prev) => bps(prev?.upKbps)],
]);

/** The variables of the previous speed: known only to a rate change, so only its templates may use them. */
const PREVIOUS_SPEED_VARIABLES: ReadonlySet<string> = new Set(['prevDownKbps', 'prevUpKbps', 'prevDownBps', 'prevUpBps']);

/** Names of the per-subscriber template variables (profile vars may not reuse them). */
export const SUBSCRIBER_VARIABLE_NAMES: readonly string[] = [...SUBSCRIBER_VARIABLES.keys()];

/** Compile-time trial values: a dynamic template that does not encode with these is reported at start-up. */
const SAMPLE: SubscriberSnapshot = {
  subscriberId: 1,
  username: 'sample-user',
  status: 'active',
  password: null,
  ntHash: null,
  framedIp: '192.0.2.1',
  framedPool: 'sample-pool',
  mac: null,
  simultaneousUse: null,
  accountId: 1,
  balance: 0,
  creditLimit: 0,
  activeCredit: 0,
  accountState: 'active',
  tariff: { id: 1, name: 'Sample', downKbps: 100_000, upKbps: 50_000 },
};
/** The previous speed a rate-change template is trial-encoded with. */
const SAMPLE_PREVIOUS: RateSpeed = { downKbps: 50_000, upKbps: 25_000 };

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

// ---------------------------------------------------------------------------------------------------------------
// Compilation

/** An attribute with subscriber variables: literals[0] value[slots[0]] literals[1] … literals[n]. */
interface DynamicItem {
  /** Configuration key, for errors: vendors.mikrotik.accept.Mikrotik-Rate-Limit. */
  readonly key: string;
  readonly name: string;
  readonly tag: number;
  readonly literals: readonly string[];
  /** Index into the set's slots for each placeholder. */
  readonly slots: readonly number[];
}

type Item = RawAttribute | DynamicItem;

interface CompiledSet {
  /** Cache key prefix, unique per vendor and set. */
  readonly id: string;
  /** The whole answer when no attribute depends on the subscriber. */
  readonly fixed: readonly RawAttribute[] | undefined;
  readonly items: readonly Item[];
  /** The subscriber variables this set reads, in slot order; their values form the cache key. */
  readonly slots: readonly VariableReader[];
  /** Reused per call to hold the slot values (rendering is synchronous). */
  readonly values: string[];
  /** A template reads the previous speed (rateChange only): without it there is nothing to send. */
  readonly needsPrevious: boolean;
}

interface CompiledProfile {
  readonly accept: CompiledSet;
  readonly redirectCode: number;
  readonly redirect: CompiledSet;
  readonly coaRestrict: CompiledSet;
  readonly coaRestore: CompiledSet;
  readonly disconnectOnRestore: boolean;
  readonly rateChange: CompiledSet;
  readonly rateChangeBy: RateChangeBy;
}

export interface CompileOptions {
  /** Rendered answers kept (see VendorProfiles). 0 disables the cache. Default 16384. */
  readonly cacheSize?: number;
}

const DEFAULT_CACHE_SIZE = 16_384;
const EMPTY: readonly RawAttribute[] = Object.freeze([]);

function isDynamic(item: Item): item is DynamicItem {
  return (item as Partial<DynamicItem>).literals !== undefined;
}

/**
 * The compiled profiles of every vendor. Per call: read the set's subscriber variables, look the answer up in the
 * cache, and on a miss interpolate and encode the dynamic attributes only (the static ones are shared Buffers).
 *
 * Cache: one Map for all vendors and sets, keyed by the set (vendor + accept/redirect/coaRestrict/coaRestore/
 * rateChange) and the length-prefixed values of exactly the variables that set uses — e.g. `mikrotik/accept|
 * 5:50000|6:100000|9:192.0.2.1|0:` for upKbps, downKbps, framedIp, framedPool (for rateChange the speed values are
 * the new speed's, so each speed has its own entry). So the key holds (vendor, tariff speeds/name,
 * framedIp, framedPool) and the username only where a template uses it; keying on values rather than the tariff id
 * means an edited tariff can never be answered from a stale entry. Subscribers on pools share one entry per tariff;
 * with static addresses there is one per subscriber. Bound: `cacheSize` entries (default 16384, ≈ 10 MB at ~600
 * bytes an entry); when full the oldest inserted entry is dropped (FIFO: a hit costs no reordering, an evicted hot
 * key costs one re-encode). Sets without subscriber variables bypass the cache with one prepared array.
 * Returned arrays are frozen and shared: do not modify them.
 */
export class VendorProfiles {
  private readonly cache = new Map<string, readonly RawAttribute[]>();

  private constructor(
    private readonly dict: Dictionary,
    private readonly profiles: ReadonlyMap<string, CompiledProfile>,
    private readonly cacheSize: number,
  ) {}

  /**
   * Merge `overrides` (the `vendors` config key) into the built-in profiles and compile them against `dict`.
   * Throws one ConfigError listing every problem, each with its key.
   *
   * @example
   * const profiles = VendorProfiles.compile(dict, { mikrotik: { vars: { unpaidList: 'debtors' } } });
   * const attrs = profiles.accept('mikrotik', snapshot);
   */
  static compile(dict: Dictionary, overrides: ProfileOverrides = {}, options: CompileOptions = {}): VendorProfiles {
    const issues: Issue[] = [];
    for (const k of Object.keys(overrides)) {
      if (!(VENDORS as readonly string[]).includes(k)) issues.push({ key: `vendors.${k}`, message: `is not a vendor (known: ${VENDORS.join(', ')})` });
    }
    const profiles = new Map<string, CompiledProfile>();
    for (const vendor of VENDORS) {
      const profile = mergeProfile(DEFAULT_PROFILES[vendor], overrides[vendor]);
      profiles.set(vendor, compileProfile(dict, vendor, profile, issues));
    }
    if (issues.length > 0) {
      const lines = issues.map((i) => `  ${i.key}: ${i.message}`);
      throw new ConfigError('CONFIG_INVALID', `config: ${issues.length} problem(s) in the vendor profiles:\n${lines.join('\n')}`, issues);
    }
    const cacheSize = options.cacheSize ?? DEFAULT_CACHE_SIZE;
    if (!Number.isSafeInteger(cacheSize) || cacheSize < 0) throw new RangeError(`cacheSize must be a non-negative integer, got ${cacheSize}`);
    return new VendorProfiles(dict, profiles, cacheSize);
  }

  /** Access-Accept attributes for normal service. */
  accept(vendor: VendorName, snapshot: SubscriberSnapshot, request?: AccessRequestInfo): readonly RawAttribute[] {
    return this.render(this.profile(vendor).accept, snapshot, request);
  }

  /** The captive-portal answer: the reply code (Access-Accept or Access-Reject) and its attributes. */
  redirect(vendor: VendorName, snapshot: SubscriberSnapshot, request?: AccessRequestInfo): { readonly code: number; readonly attributes: readonly RawAttribute[] } {
    const p = this.profile(vendor);
    return { code: p.redirectCode, attributes: this.render(p.redirect, snapshot, request) };
  }

  /** CoA-Request attributes that restrict a live session (the CoA client adds the session identification). */
  coaRestrict(vendor: VendorName, snapshot: SubscriberSnapshot): readonly RawAttribute[] {
    return this.render(this.profile(vendor).coaRestrict, snapshot, undefined);
  }

  /** CoA-Request attributes that restore normal service. */
  coaRestore(vendor: VendorName, snapshot: SubscriberSnapshot): readonly RawAttribute[] {
    return this.render(this.profile(vendor).coaRestore, snapshot, undefined);
  }

  disconnectOnRestore(vendor: VendorName): boolean {
    return this.profile(vendor).disconnectOnRestore;
  }

  /**
   * CoA-Request attributes that give a live session a new speed: the profile's `rateChange` rendered with `speed`
   * in place of the tariff's (every speed variable: kbit/s, bit/s, Mbit/s, bursts) and `previous`, the speed the
   * NAS was last told, in the `prev…` variables. Empty — so the caller disconnects instead — when the set has no
   * attribute, or reads the previous speed and `previous` is unknown (a session from before speeds were
   * recorded). Whether to send it at all is rateChangeBy's to say.
   *
   * @example
   * const attrs = profiles.rateChange('mikrotik', snapshot, { downKbps: 20_000, upKbps: 10_000 }); // 10000k/20000k
   */
  rateChange(vendor: VendorName, snapshot: SubscriberSnapshot, speed: RateSpeed, previous?: RateSpeed | null): readonly RawAttribute[] {
    checkSpeed('speed', speed);
    if (previous !== undefined && previous !== null) checkSpeed('previous', previous);
    const set = this.profile(vendor).rateChange;
    if (set.needsPrevious && (previous === undefined || previous === null)) return EMPTY;
    return this.render(set, snapshot, undefined, speed, previous ?? undefined);
  }

  /** 'coa': send rateChange (Disconnect when NAKed); 'disconnect': the subscriber reconnects into the new speed. */
  rateChangeBy(vendor: VendorName): RateChangeBy {
    return this.profile(vendor).rateChangeBy;
  }

  /** Entries in the answer cache (tests, metrics). */
  get cachedEntries(): number {
    return this.cache.size;
  }

  private profile(vendor: VendorName): CompiledProfile {
    const p = this.profiles.get(vendor);
    if (p === undefined) throw new RangeError(`no vendor profile "${vendor}" (known: ${VENDORS.join(', ')})`);
    return p;
  }

  private render(
    set: CompiledSet,
    snapshot: SubscriberSnapshot,
    request: AccessRequestInfo | undefined,
    speed?: RateSpeed,
    previous?: RateSpeed,
  ): readonly RawAttribute[] {
    if (set.fixed !== undefined) return set.fixed;
    const { values, slots } = set;
    let key = set.id;
    for (let i = 0; i < slots.length; i++) {
      const v = (slots[i] as VariableReader)(snapshot, request, speed, previous);
      values[i] = v;
      key += `|${v.length}:${v}`;
    }
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const out = renderItems(this.dict, set.items, values, snapshot.username);
    if (this.cacheSize > 0) {
      if (this.cache.size >= this.cacheSize) {
        const oldest = this.cache.keys().next();
        if (oldest.done !== true) this.cache.delete(oldest.value);
      }
      this.cache.set(key, out);
    }
    return out;
  }
}

/** A speed is whole kbit/s, as a tariff's is: anything else is the caller's bug, not a value to send. */
function checkSpeed(what: string, speed: RateSpeed): void {
  for (const [k, v] of [['downKbps', speed.downKbps], ['upKbps', speed.upKbps]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`rate change ${what}.${k} must be a non-negative integer (kbit/s), got ${String(v)}`);
  }
}

/** Interpolate and encode; throws RadiusError naming the profile key when a subscriber's value does not encode. */
function renderItems(dict: Dictionary, items: readonly Item[], values: readonly string[], username: string): readonly RawAttribute[] {
  const out: RawAttribute[] = [];
  for (const item of items) {
    if (!isDynamic(item)) {
      out.push(item);
      continue;
    }
    const text = interpolate(item, values);
    if (text === undefined) continue;
    try {
      out.push(encodeAttribute(dict, toAttribute(item.name, item.tag, text)));
    } catch (err) {
      if (!(err instanceof RadiusError)) throw err;
      throw new RadiusError('RADIUS_ENCODE_VALUE', `${item.key}: ${err.message} (subscriber ${JSON.stringify(username)})`, { cause: err });
    }
  }
  return Object.freeze(out);
}

/** The attribute text, or undefined when one of its variables is empty. */
function interpolate(item: DynamicItem, values: readonly string[]): string | undefined {
  const { literals, slots } = item;
  let text = literals[0] as string;
  for (let i = 0; i < slots.length; i++) {
    const v = values[slots[i] as number] as string;
    if (v === '') return undefined;
    text += v + (literals[i + 1] as string);
  }
  return text;
}

function toAttribute(name: string, tag: number, value: string): Attribute {
  return tag === 0 ? { name, value } : { name, value, tag };
}

function compileProfile(dict: Dictionary, vendor: VendorName, profile: ProfileConfig, issues: Issue[]): CompiledProfile {
  const base = `vendors.${vendor}`;
  const vars = new Map<string, string>();
  for (const [name, value] of Object.entries(profile.vars)) {
    if (!VAR_NAME.test(name)) issues.push({ key: `${base}.vars.${name}`, message: 'a variable name is letters, digits and _, not starting with a digit' });
    else if (SUBSCRIBER_VARIABLES.has(name)) issues.push({ key: `${base}.vars.${name}`, message: `${name} is a subscriber variable and cannot be redefined` });
    else vars.set(name, String(value));
  }
  return {
    accept: compileSet(dict, `${vendor}/accept`, `${base}.accept`, profile.accept, vars, issues),
    redirectCode: profile.redirect.code === 'Access-Reject' ? Code.AccessReject : Code.AccessAccept,
    redirect: compileSet(dict, `${vendor}/redirect`, `${base}.redirect.attributes`, profile.redirect.attributes, vars, issues),
    coaRestrict: compileSet(dict, `${vendor}/coaRestrict`, `${base}.coaRestrict`, profile.coaRestrict, vars, issues),
    coaRestore: compileSet(dict, `${vendor}/coaRestore`, `${base}.coaRestore`, profile.coaRestore, vars, issues),
    disconnectOnRestore: profile.disconnectOnRestore,
    rateChange: compileRateChange(dict, vendor, profile, vars, issues),
    rateChangeBy: profile.rateChangeBy,
  };
}

/**
 * The rate-change set, and its consistency with rateChangeBy: 'coa' with nothing to send (no attribute, or every
 * one switched off by an empty constant) would have every rate change fall back to a Disconnect after a CoA that
 * cannot be built, so it is refused, naming the key; 'disconnect' ignores the attributes (as disconnectOnRestore
 * ignores coaRestore). A value other than the two is refused too (the schema checks it for a file; this is for
 * a profile built in code).
 */
function compileRateChange(dict: Dictionary, vendor: VendorName, profile: ProfileConfig, vars: ReadonlyMap<string, string>, issues: Issue[]): CompiledSet {
  const base = `vendors.${vendor}`;
  const before = issues.length;
  const set = compileSet(dict, `${vendor}/rateChange`, `${base}.rateChange`, profile.rateChange, vars, issues, true);
  if (!(RATE_CHANGE_BY as readonly string[]).includes(profile.rateChangeBy)) {
    issues.push({ key: `${base}.rateChangeBy`, message: `must be one of ${RATE_CHANGE_BY.join(', ')}, got ${JSON.stringify(profile.rateChangeBy)}` });
  } else if (profile.rateChangeBy === 'coa' && set.items.length === 0 && issues.length === before) {
    issues.push({
      key: `${base}.rateChangeBy`,
      message: `is "coa" but ${base}.rateChange has no attribute to send: give rateChange the CoA attributes that change this BRAS's speed, or set rateChangeBy: disconnect`,
    });
  }
  return set;
}

function compileSet(
  dict: Dictionary,
  id: string,
  path: string,
  templates: AttributeTemplates,
  vars: ReadonlyMap<string, string>,
  issues: Issue[],
  rateChange = false,
): CompiledSet {
  const items: Item[] = [];
  const slotNames: string[] = [];
  for (const [key, raw] of Object.entries(templates)) {
    const attrKey = `${path}.${key}`;
    const target = resolveKey(dict, key, attrKey, issues);
    if (target === undefined) continue;
    const list: readonly TemplateScalar[] = Array.isArray(raw) ? raw : [raw as TemplateScalar];
    list.forEach((value, i) => {
      const itemKey = Array.isArray(raw) ? `${attrKey}[${i}]` : attrKey;
      const item = compileItem(dict, target.name, target.tag, String(value), itemKey, vars, slotNames, issues, rateChange);
      if (item !== undefined) items.push(item);
    });
  }
  const slots = slotNames.map((n) => SUBSCRIBER_VARIABLES.get(n) as VariableReader);
  const dynamic = items.some(isDynamic);
  const fixed = dynamic ? undefined : items.length === 0 ? EMPTY : Object.freeze(items as RawAttribute[]);
  if (dynamic) {
    // Trial-encode with a sample subscriber so a template that cannot encode stops start-up, not a request.
    const sample = slots.map((read) => read(SAMPLE, { framedIp: '192.0.2.1' }, undefined, SAMPLE_PREVIOUS));
    for (const item of items) {
      if (!isDynamic(item)) continue;
      const text = interpolate(item, sample);
      if (text === undefined) continue;
      try {
        encodeAttribute(dict, toAttribute(item.name, item.tag, text));
      } catch (err) {
        issues.push({ key: item.key, message: `${err instanceof Error ? err.message : String(err)} (with sample value ${JSON.stringify(text)})` });
      }
    }
  }
  const needsPrevious = slotNames.some((n) => PREVIOUS_SPEED_VARIABLES.has(n));
  return { id, fixed, items, slots, values: new Array<string>(slots.length).fill(''), needsPrevious };
}

/** `Name` or `Name:<tag>` → the dictionary's name and the tag (0 = none). */
function resolveKey(dict: Dictionary, key: string, attrKey: string, issues: Issue[]): { name: string; tag: number } | undefined {
  let name = key;
  let tag = 0;
  const colon = key.lastIndexOf(':');
  if (colon > 0 && /^\d+$/.test(key.slice(colon + 1))) {
    name = key.slice(0, colon);
    tag = Number(key.slice(colon + 1));
  }
  const def = dict.attribute(name);
  if (def === undefined) {
    issues.push({ key: attrKey, message: 'attribute not in the dictionary' });
    return undefined;
  }
  if (colon > 0 && name !== key) {
    if (!def.hasTag) {
      issues.push({ key: attrKey, message: `${def.name} takes no tag (it is not has_tag in the dictionary)` });
      return undefined;
    }
    if (tag < 1 || tag > 31) {
      issues.push({ key: attrKey, message: `tag ${tag} is not 1..31` });
      return undefined;
    }
  }
  return { name: def.name, tag };
}

/**
 * One attribute value: profile constants substituted now, subscriber variables left as slots. Undefined when the
 * attribute is left out (an empty constant) or after reporting an issue.
 */
function compileItem(
  dict: Dictionary,
  name: string,
  tag: number,
  text: string,
  key: string,
  vars: ReadonlyMap<string, string>,
  slotNames: string[],
  issues: Issue[],
  rateChange: boolean,
): Item | undefined {
  const literals: string[] = [];
  const slots: number[] = [];
  let literal = '';
  let pos = 0;
  for (;;) {
    const open = text.indexOf('${', pos);
    if (open === -1) break;
    const close = text.indexOf('}', open + 2);
    if (close === -1) {
      issues.push({ key, message: `unclosed "\${" in ${JSON.stringify(text)}` });
      return undefined;
    }
    const varName = text.slice(open + 2, close);
    literal += text.slice(pos, open);
    pos = close + 1;
    const constant = vars.get(varName);
    if (constant !== undefined) {
      if (constant === '') return undefined; // an empty constant switches the attribute off
      literal += constant;
    } else if (PREVIOUS_SPEED_VARIABLES.has(varName) && !rateChange) {
      issues.push({ key, message: `\${${varName}} is the speed before a rate change: only rateChange templates can use it` });
      return undefined;
    } else if (SUBSCRIBER_VARIABLES.has(varName)) {
      let slot = slotNames.indexOf(varName);
      if (slot === -1) slot = slotNames.push(varName) - 1;
      literals.push(literal);
      slots.push(slot);
      literal = '';
    } else {
      const known = [...SUBSCRIBER_VARIABLES.keys(), ...vars.keys()].join(', ');
      issues.push({ key, message: `unknown variable \${${varName}} (known: ${known})` });
      return undefined;
    }
  }
  literal += text.slice(pos);
  if (slots.length > 0) {
    literals.push(literal);
    return { key, name, tag, literals, slots };
  }
  if (literal === '') return undefined; // never sent empty
  try {
    return encodeAttribute(dict, toAttribute(name, tag, literal));
  } catch (err) {
    issues.push({ key, message: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
}
