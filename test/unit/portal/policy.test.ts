/** Months of the fee time zone, the portal's reason and the promised-payment policy. */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/load.js';
import { loadConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/errors.js';
import { portalReason } from '../../../src/portal/account-view.js';
import { currentAndPreviousMonth, monthStart } from '../../../src/billing/core/calendar.js';
import { promisedEligibility, type PromisedPaymentPolicy } from '../../../src/portal/promised-payment.js';

describe('months', () => {
  it('starts a month at local midnight of the zone', () => {
    expect(monthStart(2025, 3, 'UTC').toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(monthStart(2025, 3, 'Europe/Moscow').toISOString()).toBe('2025-02-28T21:00:00.000Z');
    expect(monthStart(2025, 4, 'America/New_York').toISOString()).toBe('2025-04-01T04:00:00.000Z');
    expect(monthStart(2025, 13, 'UTC').toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('gives this month and last month, across a year boundary and in the zone', () => {
    const { current, previous } = currentAndPreviousMonth(new Date('2025-01-15T10:00:00Z'), 'UTC');
    expect(current).toEqual({ month: '2025-01', from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') });
    expect(previous).toEqual({ month: '2024-12', from: new Date('2024-12-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') });
    // 22:00 UTC on 31 March is already 1 April in Moscow.
    expect(currentAndPreviousMonth(new Date('2025-03-31T22:00:00Z'), 'Europe/Moscow').current.month).toBe('2025-04');
  });
});

describe('portal reason', () => {
  it("puts the subscriber's status before the account's state", () => {
    expect(portalReason('disabled', { state: 'blocked' })).toBe('disabled');
    expect(portalReason('suspended', { state: 'active' })).toBe('suspended');
    expect(portalReason('active', { state: 'blocked' })).toBe('blocked');
    expect(portalReason('active', { state: 'active' })).toBe('active');
  });
});

describe('promised payment policy', () => {
  const policy: PromisedPaymentPolicy = { enabled: true, amount: 2000, days: 3, minIntervalDays: 30 };
  const blocked = { state: 'blocked' as const, balance: -1500, creditLimit: 0, activeCredit: 0 };
  const now = new Date('2025-06-15T12:00:00Z');

  it('offers it to an active subscriber of a blocked account it can unblock', () => {
    expect(promisedEligibility(policy, 'active', blocked, undefined, now)).toEqual({ kind: 'available' });
    expect(promisedEligibility(policy, 'active', { ...blocked, balance: -2000 }, undefined, now)).toEqual({ kind: 'available' });
  });

  it('refuses when off, not needed, not enough, or for a suspended subscriber', () => {
    expect(promisedEligibility({ ...policy, enabled: false }, 'active', blocked, undefined, now).kind).toBe('disabled');
    expect(promisedEligibility(policy, 'suspended', blocked, undefined, now).kind).toBe('subscriber_inactive');
    expect(promisedEligibility(policy, 'active', { ...blocked, state: 'active' }, undefined, now).kind).toBe('not_needed');
    expect(promisedEligibility(policy, 'active', { ...blocked, balance: -2001 }, undefined, now).kind).toBe('not_enough');
  });

  it('allows one per interval', () => {
    const last = new Date('2025-06-01T12:00:00Z');
    expect(promisedEligibility(policy, 'active', blocked, last, now)).toEqual({ kind: 'too_soon', nextAt: new Date('2025-07-01T12:00:00Z') });
    expect(promisedEligibility(policy, 'active', blocked, last, new Date('2025-07-01T12:00:00Z')).kind).toBe('available');
    expect(promisedEligibility({ ...policy, minIntervalDays: 0 }, 'active', blocked, last, now).kind).toBe('available');
  });
});

describe('portal config', () => {
  function problems(input: Record<string, unknown>): string[] {
    try {
      validateConfig(input, 'test');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).issues.map((i) => `${i.key}: ${i.message}`);
    }
    return [];
  }

  it('has working defaults', () => {
    const { portal } = validateConfig({}, 'test');
    expect(portal).toMatchObject({ listen: '0.0.0.0', port: 8080, currency: 'USD', trustedProxies: [], promisedPayment: { enabled: false } });
  });

  it('reports bad proxies, currency, origins, URLs and a promised payment without an amount, each by key', () => {
    const list = problems({
      portal: {
        trustedProxies: ['10.0.0.0/33', 'proxy.example', '2001:db8::/48'],
        currency: 'usd',
        widgetOrigins: ['https://ok.example', 'https://bad.example/path'],
        operator: { logoUrl: 'javascript:alert(1)' },
        promisedPayment: { enabled: true },
        widgetSecret: 'short',
      },
    });
    expect(list).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^portal\.trustedProxies\[0\]:/),
        expect.stringMatching(/^portal\.trustedProxies\[1\]:/),
        expect.stringMatching(/^portal\.currency: must be an ISO 4217/),
        expect.stringMatching(/^portal\.widgetOrigins\[1\]:/),
        expect.stringMatching(/^portal\.operator\.logoUrl:/),
        expect.stringMatching(/^portal\.promisedPayment\.amount: must be at least 1/),
        expect.stringMatching(/^portal\.widgetSecret: must be at least 32/),
      ]),
    );
    expect(list.some((l) => l.startsWith('portal.trustedProxies[2]'))).toBe(false);
  });

  it('TOLLGATE_PORTAL_PORT overrides portal.port', () => {
    const { config } = loadConfig({ env: { TOLLGATE_PORTAL_PORT: '18080' }, cwd: '/nonexistent-tollgate-dir' });
    expect(config.portal.port).toBe(18080);
  });
});
