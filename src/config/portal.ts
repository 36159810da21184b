/**
 * The `portal` section of the configuration: the captive portal's listener, who may forward the client address,
 * what the operator shows (name, logo, how to pay), the currency, the promised payment and the billing widget.
 * Checked once at boot with the rest of the config (src/config/schema.ts mounts it).
 */
import { z } from 'zod';
import { addressOrCidr } from '../schema/index.js';
import { bool, int, list, obj, optional, record, secret, shared, str } from './fields.js';

const httpUrl = (hint: string) => str({ pattern: /^https?:\/\/[^\s"'<>]+$/, hint });

/** An address or CIDR with no host bits; the proxy list is compiled into a BlockList at start-up. */
const cidr = () => shared(addressOrCidr('A proxy address or network.'));

/** An ISO 4217 code Intl knows (its minor digits format the money). */
const currency = () =>
  z
    .preprocess(
      (v) => (v === undefined ? 'USD' : v),
      z.string({ error: (iss) => `must be an ISO 4217 currency code such as USD, EUR, RUB, got ${JSON.stringify(iss.input)}` }).regex(/^[A-Z]{3}$/, {
        error: (iss) => `must be an ISO 4217 currency code such as USD, EUR, RUB, got ${JSON.stringify(iss.input)}`,
      }),
    )
    .refine(
      (code) => {
        try {
          new Intl.NumberFormat('en', { style: 'currency', currency: code });
          return true;
        } catch {
          return false;
        }
      },
      { error: (iss) => `${String(iss.input)} is not a currency this runtime can format` },
    );

/** `enabled` needs an `amount`: a promised payment of nothing restores nobody. */
const promisedPayment = () =>
  obj({
    /** Offer the button on the portal page of a blocked subscriber. */
    enabled: bool({ default: false }),
    /** Temporary credit granted, minor units; it must cover the debt for the button to be offered. */
    amount: int({ default: 0, min: 0 }),
    /** How long the credit lasts. */
    days: int({ default: 3, min: 1, max: 365 }),
    /** At most one promised payment per account in this many days (0: no limit). */
    minIntervalDays: int({ default: 30, min: 0, max: 3650 }),
  }).superRefine((p, ctx) => {
    if (p.enabled && p.amount < 1) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'must be at least 1 (minor units) when the promised payment is enabled' });
  });

export const portalSchema = obj({
  listen: str({ default: '0.0.0.0' }),
  port: int({ default: 8080, min: 0, max: 65535 }),
  /**
   * Proxies (and NAT/redirect hosts) whose X-Forwarded-For is believed. The client is the first address, from
   * the right, that is not one of these; requests from anyone else are judged by their own source address.
   */
  trustedProxies: list(cidr(), { default: [] }),
  /** ISO 4217; amounts are integer minor units of it. */
  currency: currency(),
  operator: obj({
    name: str({ default: 'Your Internet provider' }),
    logoUrl: optional(httpUrl('an http(s) URL of the logo image')),
    /** Shown on every page: a phone number or address for help. */
    support: optional(str()),
  }),
  payment: obj({
    /** Where subscribers pay (the operator's payment page). */
    url: optional(httpUrl('an http(s) URL of the payment page')),
    /** How to pay, by language (en, ru); the first entry serves languages without their own. */
    text: record(str(), { default: {} }),
  }),
  promisedPayment: promisedPayment(),
  rateLimit: obj({
    /** Requests per minute per client address, sustained. */
    perMinute: int({ default: 60, min: 1, max: 60_000 }),
    /** Requests allowed at once above the sustained rate. */
    burst: int({ default: 20, min: 1, max: 10_000 }),
  }),
  /** Open connections one peer address may hold (the socket's address: behind a proxy, the proxy's); more are closed on arrival. */
  maxConnectionsPerAddress: int({ default: 64, min: 1, max: 100_000 }),
  /** Signs the promised-payment form tokens; share it between instances behind one portal address. Unset: random per process. */
  csrfSecret: optional(secret({ minLength: 32, hint: 'at least 32 random characters' })),
  /** Signs billing-widget tokens (POST /api/v1/subscribers/{id}/widget-token); unset turns the widget off. */
  widgetSecret: optional(secret({ minLength: 32, hint: 'at least 32 random characters' })),
  /** Lifetime of a widget token unless the request asks for less. */
  widgetTokenTtlSeconds: int({ default: 86_400, min: 60, max: 31_536_000 }),
  /** Origins (scheme://host[:port]) of the operator's sites allowed to fetch or frame the widget. */
  widgetOrigins: list(str({ pattern: /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, hint: 'an origin such as https://my.example.net' }), { default: [] }),
});

export type PortalConfig = z.output<typeof portalSchema>;
