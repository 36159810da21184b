/**
 * The NAS client table: source address → client (secret, vendor profile, policy). Compiled once per
 * (re)load: exact addresses in a Map, CIDR ranges as integer ranges searched longest-prefix first, and a
 * bounded memo of CIDR hits so a packet costs one Map lookup. The secret is chosen by source address only,
 * never by NAS-IP-Address (docs/reference.md §2).
 */
import type { MessageAuthenticatorRequirement } from '../domain/types.js';
import { messageAuthenticatorTallies, radiusEmptyAttributes, radiusRequests, radiusResponses, Tally } from '../observability/metrics.js';
import { messageAuthenticatorPlacement } from '../radius/authenticity.js';
import { Attr, codeName } from '../radius/codes.js';
import type { RadiusErrorCode } from '../radius/errors.js';
import { hasAttribute, type RawPacket } from '../radius/packet.js';
import { addressText, addressToBigInt } from '../radius/primitives.js';
import type { MessageAuthenticatorWatch } from './message-authenticator.js';

export interface NasClientSpec {
  readonly name: string;
  readonly address: string;
  readonly secret: string;
  readonly vendor: string;
  readonly requireMessageAuthenticator?: MessageAuthenticatorRequirement | undefined;
  readonly limitProxyState?: boolean | undefined;
  readonly coaPort: number;
  /** The database row of a client from the database; config-file clients have none. */
  readonly id?: number | undefined;
  /** requireMessageAuthenticator auto: the stored sighting (a row's seen time, or the config client's address kept). */
  readonly messageAuthenticatorSeen?: boolean | undefined;
  /** RadSec: the certificate subject CN or a SAN (DNS or IP) the NAS must present, besides its address. */
  readonly tlsName?: string | undefined;
  /** RadSec: the shared secret over TLS; `radsec` when unset (RFC 6614 §2.3). */
  readonly radsecSecret?: string | undefined;
}

/** The shared secret of RadSec when the client entry sets none (RFC 6614 §2.3). */
export const RADSEC_DEFAULT_SECRET = 'radsec';

export interface NasPolicyDefaults {
  readonly requireMessageAuthenticator: MessageAuthenticatorRequirement;
  readonly limitProxyState: boolean;
}

export interface NasTableOptions {
  /** Flips auto clients on their first valid Message-Authenticator and stores it; without it auto never flips. */
  readonly watch?: MessageAuthenticatorWatch | undefined;
}

/** Request/response tallies per client and packet code, resolved once per code. */
class ClientCounters {
  private readonly requests: (Tally | undefined)[] = [];
  private readonly responses: (Tally | undefined)[] = [];
  /** Access-Requests by Message-Authenticator placement and Proxy-State (see messageAuthenticatorTallies). */
  readonly messageAuthenticator: readonly Tally[];
  /** Zero-length attributes the codec left out of this client's verified requests. */
  readonly emptyAttributes: Tally;
  constructor(private readonly nas: string) {
    this.messageAuthenticator = messageAuthenticatorTallies(nas);
    this.emptyAttributes = Tally.of(radiusEmptyAttributes, nas);
  }
  request(code: number): void {
    (this.requests[code] ??= Tally.of(radiusRequests, codeName(code), this.nas)).inc();
  }
  response(code: number): void {
    (this.responses[code] ??= Tally.of(radiusResponses, codeName(code), this.nas)).inc();
  }
}

export class NasClient {
  readonly name: string;
  readonly address: string;
  readonly secret: Buffer;
  readonly vendor: string;
  /** What the client's entry says (true, false or auto). */
  readonly messageAuthenticatorSetting: MessageAuthenticatorRequirement;
  /** The requirement in force: for auto, false until the first valid Message-Authenticator, then true. */
  requireMessageAuthenticator: boolean;
  readonly limitProxyState: boolean;
  readonly coaPort: number;
  readonly id: number | undefined;
  /** What the stored sighting is kept by: the row's id, or a config-file client's address. */
  readonly key: string;
  readonly tlsName: string | undefined;
  readonly counters: ClientCounters;
  /** Wall-clock ms of the last request that passed the checks (0: none in this process); see NasLastSeen. */
  lastSeenMs = 0;
  private readonly watch: MessageAuthenticatorWatch | undefined;
  private overTls: NasClient | undefined;
  constructor(
    private readonly spec: NasClientSpec,
    private readonly defaults: NasPolicyDefaults,
    private readonly options: NasTableOptions = {},
    counters?: ClientCounters,
  ) {
    this.name = spec.name;
    this.address = spec.address;
    this.secret = Buffer.from(spec.secret, 'utf8');
    this.tlsName = spec.tlsName;
    this.vendor = spec.vendor;
    this.id = spec.id;
    this.key = spec.id === undefined ? `client ${spec.address}` : `nas ${spec.id}`;
    this.messageAuthenticatorSetting = spec.requireMessageAuthenticator ?? defaults.requireMessageAuthenticator;
    this.watch = options.watch;
    // A flip this process made is kept across table rebuilds even before the store has it.
    this.requireMessageAuthenticator =
      this.messageAuthenticatorSetting === 'auto'
        ? spec.messageAuthenticatorSeen === true || (this.watch?.flipped(this.key) ?? false)
        : this.messageAuthenticatorSetting;
    this.limitProxyState = spec.limitProxyState ?? defaults.limitProxyState;
    this.coaPort = spec.coaPort;
    this.counters = counters ?? new ClientCounters(spec.name);
  }
  /** The same client as RadSec sees it: the RadSec secret, the same counters and policy. */
  get radsec(): NasClient {
    return (this.overTls ??= new NasClient({ ...this.spec, secret: this.spec.radsecSecret ?? RADSEC_DEFAULT_SECRET }, this.defaults, this.options, this.counters));
  }

  /**
   * The pre-trust checks' hook for an Access-Request, with their verdict: counts where it carries
   * Message-Authenticator (not when that failed to verify, nor for a request refused before it was looked at),
   * and flips an auto client on its first valid one. A few integer operations; no allocation.
   */
  accessRequest(packet: RawPacket, problem: RadiusErrorCode | null): void {
    const placement = messageAuthenticatorPlacement(packet);
    if (problem !== null && !(placement === 2 && (problem === 'RADIUS_MISSING_MESSAGE_AUTHENTICATOR' || problem === 'RADIUS_PROXY_STATE_WITHOUT_MA'))) return;
    (this.counters.messageAuthenticator[placement * 2 + (hasAttribute(packet, Attr.ProxyState) ? 1 : 0)] as Tally).inc();
    if (placement < 2 && !this.requireMessageAuthenticator && this.messageAuthenticatorSetting === 'auto') this.watch?.flip(this);
  }
  /** Keeps the secret out of logs and JSON. */
  toJSON(): object {
    return { name: this.name, address: this.address, vendor: this.vendor };
  }
}

interface Range {
  readonly family: 4 | 6;
  readonly prefix: number;
  readonly start: bigint;
  readonly end: bigint;
  readonly client: NasClient;
}

export class NasTable {
  private readonly exact = new Map<string, NasClient>();
  private readonly ranges: Range[] = [];
  private readonly memo = new Map<string, NasClient | null>();
  private static readonly MEMO_LIMIT = 65536;
  readonly clients: readonly NasClient[];

  constructor(specs: readonly NasClientSpec[], defaults: NasPolicyDefaults, options: NasTableOptions = {}) {
    const clients: NasClient[] = [];
    for (const spec of specs) {
      const client = new NasClient(spec, defaults, options);
      clients.push(client);
      const [addr = '', prefixText] = spec.address.split('/');
      const parsed = addressToBigInt(addr);
      if (!parsed) throw new Error(`client ${spec.name}: ${spec.address} is not an IP address or CIDR`);
      const bits = parsed.family === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? bits : Number(prefixText);
      if (prefix === bits) {
        // Keyed by the text form Node's dgram reports for a source address, so exact lookups hit the Map directly.
        this.exact.set(addressText(parsed.family, parsed.value), client);
      } else {
        const hostBits = BigInt(bits - prefix);
        const start = (parsed.value >> hostBits) << hostBits;
        this.ranges.push({ family: parsed.family, prefix, start, end: start + (1n << hostBits) - 1n, client });
      }
    }
    this.ranges.sort((a, b) => b.prefix - a.prefix);
    this.clients = clients;
  }

  /** The client for a packet's source address, or undefined (the packet is dropped). */
  lookup(address: string): NasClient | undefined {
    const hit = this.exact.get(address);
    if (hit) return hit;
    const memo = this.memo.get(address);
    if (memo !== undefined) return memo ?? undefined;
    const result = this.resolve(address);
    if (this.memo.size >= NasTable.MEMO_LIMIT) this.memo.clear();
    this.memo.set(address, result ?? null);
    return result;
  }

  private resolve(address: string): NasClient | undefined {
    const parsed = addressToBigInt(address);
    if (!parsed) return undefined;
    const exact = this.exact.get(addressText(parsed.family, parsed.value));
    if (exact) return exact;
    for (const r of this.ranges) {
      if (r.family === parsed.family && parsed.value >= r.start && parsed.value <= r.end) return r.client;
    }
    return undefined;
  }
}
