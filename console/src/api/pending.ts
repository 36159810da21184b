/**
 * The shapes of the operations the console uses that the OpenAPI document of this build does not describe yet:
 * operator sign-in and administration, live traces, search, the subscriber overview, statements, the reply
 * preview, NAS status and the dashboard (docs/console.md). They are called with `call` (./client.ts); once the
 * routes are in the document, `npm run gen:api-types` types them and these give way to schema.d.ts.
 */
import type { Role } from '../../../src/domain/operators';

export interface Operator {
  readonly id: number | null;
  readonly login: string;
  readonly displayName: string;
  readonly role: Role;
  readonly totpEnabled: boolean;
  readonly disabled?: boolean;
  readonly lastLoginAt?: string | null;
  readonly createdAt?: string;
}

/** POST /auth/login and GET /auth/me. */
export interface SignedIn {
  readonly operator: Operator;
  readonly csrfToken?: string;
  readonly expiresAt?: string;
}

export interface ApiToken {
  readonly id: number;
  readonly name?: string;
  readonly role: Role;
  readonly operatorId?: number;
  readonly createdAt?: string;
  readonly expiresAt: string;
  readonly revokedAt?: string | null;
  readonly lastUsedAt?: string | null;
  /** Only in the answer to the create: `tg_<id>_<secret>`, shown once. */
  readonly token?: string;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly operatorId: number | null;
  readonly login: string;
  readonly address: string;
  readonly via?: string;
  readonly action: string;
  readonly target: string | null;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface Trace {
  readonly id: number | string;
  readonly username?: string | null;
  readonly nas?: string | null;
  readonly expiresAt?: string;
}

export interface TraceEvent {
  /** `packet`; `dropped` (events left out so far) and `end` (the trace ended) carry no packet. */
  readonly type: 'packet' | 'dropped' | 'end';
  readonly at: string;
  /** `in` (from the NAS) or `out` (the reply). */
  readonly direction: string;
  readonly nas: string;
  readonly code: string | number;
  readonly identifier: number;
  readonly attributes: readonly { readonly name: string; readonly value: unknown }[];
}

export interface SearchHit {
  readonly kind?: string;
  readonly type?: string;
  readonly id: number;
  readonly subscriberId?: number;
  readonly username?: string;
  readonly label?: string;
  readonly title?: string;
  readonly detail?: string;
  readonly matched?: string;
}

export interface Overview {
  readonly lastCoa?: { readonly at: string; readonly kind?: string; readonly result?: string; readonly errorCause?: number | null } | null;
}

export interface StatementLine {
  readonly at: string;
  readonly kind: string;
  readonly amount: number;
  readonly balance?: number;
  readonly description?: string | null;
  readonly operator?: string | null;
}

export interface Statement {
  readonly accountId: number;
  readonly currency?: string;
  readonly from?: string;
  readonly to?: string;
  readonly opening?: number;
  readonly closing?: number;
  readonly lines: readonly StatementLine[];
}

export interface ReplyPreview {
  readonly decision?: string;
  readonly reason?: string | null;
  readonly attributes: readonly { readonly name: string; readonly value: unknown }[];
}

export interface NasStatus {
  readonly items: readonly { readonly name: string; readonly lastSeenAt: string | null; readonly [k: string]: unknown }[];
}

export interface Dashboard {
  readonly online?: number;
  readonly blocked?: number;
  readonly paymentsToday?: number;
  readonly paymentsMonth?: number;
  readonly chargesToday?: number;
  readonly chargesMonth?: number;
  readonly coaSuccess?: number | null;
  /** Per-minute buckets: `at` (ISO) with the counts. */
  readonly series?: readonly { readonly at: string; readonly accept: number; readonly redirect: number; readonly reject: number; readonly accounting: number }[];
}
