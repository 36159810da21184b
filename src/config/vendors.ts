/**
 * The `vendors` section of the configuration: per vendor, what changes from the built-in profile (src/aaa/
 * vendor-profiles.ts merges and compiles it against the dictionary). Templates are `Name: value` maps; a value is
 * a string, a number, a list of them (the attribute sent once per item), or null (remove the built-in attribute).
 */
import { z } from 'zod';
import { VENDORS, type VendorName } from '../domain/types.js';
import { bool, obj, oneOf, optional, record, typeOf } from './fields.js';

export const REDIRECT_CODES = ['Access-Accept', 'Access-Reject'] as const;
/** How a live session gets a new speed (vendors.<vendor>.rateChangeBy): the rateChange CoA, or a Disconnect. */
export const RATE_CHANGE_BY = ['coa', 'disconnect'] as const;

const isScalar = (v: unknown): boolean => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/** A template value in configuration: string, number, a list of them, or null (remove the built-in attribute). */
const templateValue = () =>
  z.unknown().transform((value, ctx): string | number | (string | number)[] | null => {
    if (value === null || isScalar(value)) return value as string | number | null;
    if (Array.isArray(value)) {
      const bad = value.findIndex((v) => !isScalar(v));
      if (bad === -1) return value as (string | number)[];
      ctx.addIssue({ code: 'custom', path: [bad], input: value[bad], message: `must be a string or number, got ${typeOf(value[bad])}` });
      return z.NEVER;
    }
    ctx.addIssue({ code: 'custom', input: value, message: `must be a string, a number, a list of them, or null (to remove the attribute), got ${typeOf(value)}` });
    return z.NEVER;
  });

const templates = () => optional(record(templateValue()));

/** One vendor's overrides (`vendors.<vendor>` in the configuration). */
export const profileSchema = obj({
  vars: optional(record(z.unknown().transform((v, ctx): string | number => {
    if (isScalar(v)) return v as string | number;
    ctx.addIssue({ code: 'custom', input: v, message: `must be a string or number, got ${typeOf(v)}` });
    return z.NEVER;
  }))),
  accept: templates(),
  redirect: optional(obj({ code: optional(oneOf(REDIRECT_CODES)), attributes: templates() }, { required: true })),
  coaRestrict: templates(),
  coaRestore: templates(),
  disconnectOnRestore: optional(bool()),
  rateChange: templates(),
  rateChangeBy: optional(oneOf(RATE_CHANGE_BY)),
});

/** The `vendors` key: a mapping VendorName → overrides; an unknown vendor name is reported. */
export const profilesSchema = obj(
  Object.fromEntries(VENDORS.map((v) => [v, optional(profileSchema)])) as { [V in VendorName]: ReturnType<typeof optional<typeof profileSchema>> },
);

export type ProfilesConfig = z.output<typeof profilesSchema>;
