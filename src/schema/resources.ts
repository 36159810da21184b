/**
 * The writable fields of the resources every entry point creates: NAS clients, tariffs, accounts and subscribers.
 * The admin API validates its bodies against these shapes and generates its OpenAPI schemas from them; the store
 * checks its inputs against them before SQL, so the CLI and the CSV import refuse exactly what the API refuses.
 */
import { z } from 'zod';
import { SUBSCRIBER_STATUSES, type MessageAuthenticatorRequirement } from '../domain/types.js';
import { describeValue } from './describe.js';
import { Field, jsonSchemaOf } from './field.js';
import { boolean, framedIp, integer, mac, money, nasAddress, nasName, nasSecret, ntHash, oneOf, ref, text, udpPort, username, vendor } from './fields.js';
import type { Issue } from './issues.js';
import type { BodyMode, PatchOf, Shape } from './validate.js';

/** true, false or `auto`: the value of requireMessageAuthenticator wherever a NAS client is written. */
export const messageAuthenticatorRequirement = z
  .union([z.boolean(), z.literal('auto')], { error: (iss) => `must be true, false or "auto", ${describeValue(iss.input)}` })
  .meta({
    description:
      'Drop Access-Requests without Message-Authenticator (BlastRADIUS). auto: not until the NAS has sent a valid one, then for good (stored).',
  });

function messageAuthenticatorField(): Field<MessageAuthenticatorRequirement, 'required'> {
  return new Field<MessageAuthenticatorRequirement, 'required'>(messageAuthenticatorRequirement, 'required');
}

export const nasFields = {
  name: nasName(),
  address: nasAddress(),
  secret: nasSecret(),
  vendor: vendor(),
  coaPort: udpPort('UDP port for CoA/Disconnect requests (RFC 5176).').withDefault(3799),
  requireMessageAuthenticator: messageAuthenticatorField().withDefault('auto'),
  limitProxyState: boolean('Drop requests with Proxy-State but no Message-Authenticator (BlastRADIUS).').withDefault(true),
  tlsName: text({
    description: 'RadSec: the certificate subject CN or a subjectAltName (DNS or IP) the NAS must present besides its address; null: none.',
    maxLength: 253,
    example: 'bras1.example.net',
  })
    .orNull()
    .optional(),
};

const counter = (description: string) => z.int().min(0).meta({ description });
const placementCounts = (of: string) =>
  z.object({
    first: counter(`${of} with Message-Authenticator as the first attribute.`),
    present: counter(`${of} with Message-Authenticator elsewhere.`),
    absent: counter(`${of} without Message-Authenticator.`),
  });

/**
 * What a NAS response says about its Message-Authenticator (read-only): the requirement in force and what this
 * instance has seen since it started (the metric tollgate_radius_message_authenticator_total, per NAS).
 */
export const nasMessageAuthenticatorSchema = z
  .object({
    required: z.boolean().meta({ description: 'Whether an Access-Request without Message-Authenticator is dropped now (auto: once it has been seen).' }),
    seenAt: z.iso.datetime().nullable().meta({ description: 'auto: when the NAS first sent a valid Message-Authenticator (stored); null before, and for true and false.' }),
    counts: z
      .object({
        ...placementCounts('Access-Requests').shape,
        withProxyState: placementCounts('Of those, the ones').meta({ description: 'The same counts for the Access-Requests that carried Proxy-State.' }),
      })
      .nullable()
      .meta({
        description:
          'Access-Requests from this NAS since this instance started (with workers: summed over them); one whose Message-Authenticator does not verify is not counted. null when no process of this instance has the NAS in its client table.',
      }),
  })
  .meta({ description: 'Message-Authenticator from this NAS (BlastRADIUS): the requirement in force and what was seen.' });
export type NasMessageAuthenticator = z.output<typeof nasMessageAuthenticatorSchema>;
export const nasMessageAuthenticatorJsonSchema = jsonSchemaOf(nasMessageAuthenticatorSchema);

const count = (description: string) => integer({ description, minimum: 0 }).withDefault(0);

export const tariffFields = {
  name: text({ description: 'Unique tariff name.', maxLength: 128, example: 'Home 100' }),
  monthlyFee: money('Subscription fee per calendar month, charged daily.').withDefault(0),
  downKbps: count('Download rate limit in kbit/s; 0 = no limit.'),
  upKbps: count('Upload rate limit in kbit/s; 0 = no limit.'),
  pricePerGB: money('Price per 10^9 bytes beyond includedBytes in a calendar month.').withDefault(0),
  includedBytes: count('Bytes per calendar month included in the fee.'),
  pricePerMinute: money('Price per minute of session time.').withDefault(0),
};

export const accountFields = {
  creditLimit: money('Permanent credit: the account stays active while balance + creditLimit + activeCredit ≥ 0.').withDefault(0),
};

export const subscriberFields = {
  username: username(),
  password: text({ description: 'Cleartext password (PAP, CHAP, MS-CHAPv2). Write-only: never returned.', maxLength: 128 }).secret().optional(),
  ntHash: ntHash('NT hash (32 hex digits) when only the hash is known (PAP, MS-CHAPv2; no CHAP). Write-only: never returned.').optional(),
  accountId: ref('The account whose balance this subscriber uses.'),
  tariffId: ref('The tariff, or null for none.').orNull().optional(),
  framedIp: framedIp().orNull().optional(),
  framedPool: text({ description: 'Framed-Pool name, or null.', maxLength: 64 }).orNull().optional(),
  mac: mac('Calling-Station-Id binding, or null for none.').orNull().optional(),
  simultaneousUse: integer({ description: 'Simultaneous-Use limit, or null for no limit.', minimum: 1, maximum: 65535 }).orNull().optional(),
  status: oneOf(SUBSCRIBER_STATUSES, 'active: normal service; suspended: redirected; disabled: rejected.').withDefault('active'),
};

/** When a subscriber PATCH's `tariffId` takes effect. */
export const TARIFF_CHANGE_EFFECTIVE = ['now', 'next-period'] as const;
export type TariffChangeEffective = (typeof TARIFF_CHANGE_EFFECTIVE)[number];

/**
 * What a subscriber PATCH may say about how to apply itself, besides the fields: request-only, never stored or
 * returned (the scheduled change shows as the subscriber's `scheduledTariffChange`).
 */
export const subscriberPatchOptions = {
  effective: oneOf(
    TARIFF_CHANGE_EFFECTIVE,
    'When the tariffId of this body takes effect. now (default): today is the first fee day on the new tariff. next-period: the first day of the next period (the next calendar month of the fee time zone); the change is scheduled, replacing one scheduled before, and applied by the fee run on that day; the other fields of the body still change now. Needs tariffId, a current tariff and a different one. Not stored.',
  ).withDefault('now'),
};

export const subscriberFilters = {
  username: text({ description: 'Only the subscriber with this exact username.', maxLength: 253 }).optional(),
  accountId: ref('Only the subscribers of this account.').optional(),
};

/** Rules across the fields of a subscriber, run once every field is valid on its own. */
export function subscriberCrossCheck(input: PatchOf<typeof subscriberFields>, _mode?: BodyMode): Issue[] {
  return input.password !== undefined && input.ntHash !== undefined
    ? [{ key: 'ntHash', message: 'ntHash cannot be given together with password: the NT hash is derived from the password' }]
    : [];
}

/** Every shape by resource, for code that treats them alike. */
export const RESOURCE_FIELDS: Readonly<Record<'nas' | 'tariff' | 'account' | 'subscriber', Shape>> = {
  nas: nasFields,
  tariff: tariffFields,
  account: accountFields,
  subscriber: subscriberFields,
};
