/**
 * The authorization decision for every status × account state × money combination, and MAC binding checks in the
 * spellings BRAS send.
 */
import { describe, expect, it } from 'vitest';
import { accountActive, authorize, macAllowed, normalizeMac, type Decision } from '../../../src/aaa/authorize.js';
import type { AccountState, SubscriberStatus } from '../../../src/domain/types.js';
import { snapshot } from '../../helpers/snapshot.js';


const ACCEPT: Decision = { kind: 'accept' };
const BLOCKED: Decision = { kind: 'redirect', reason: 'blocked' };
const SUSPENDED: Decision = { kind: 'redirect', reason: 'suspended' };
const DISABLED: Decision = { kind: 'reject', reason: 'disabled' };

describe('authorize', () => {
  // Money cases as [balance, creditLimit, activeCredit, sum ≥ 0].
  const money: [string, number, number, number, boolean][] = [
    ['positive balance', 1000, 0, 0, true],
    ['zero balance', 0, 0, 0, true],
    ['one minor unit short', -1, 0, 0, false],
    ['debt covered exactly by the credit limit', -500, 500, 0, true],
    ['debt covered exactly by limit + temporary credit', -500, 300, 200, true],
    ['debt covered exactly by a temporary credit', -100, 0, 100, true],
    ['debt one unit beyond limit + temporary credit', -501, 300, 200, false],
    ['debt beyond the credit limit', -800, 500, 0, false],
  ];
  const statuses: SubscriberStatus[] = ['active', 'suspended', 'disabled'];
  const states: AccountState[] = ['active', 'blocked'];

  for (const status of statuses) {
    for (const accountState of states) {
      for (const [label, balance, creditLimit, activeCredit, funded] of money) {
        const expected =
          status === 'disabled' ? DISABLED : status === 'suspended' ? SUSPENDED : accountState === 'blocked' || !funded ? BLOCKED : ACCEPT;
        it(`${status} subscriber, ${accountState} account, ${label} → ${expected.kind}${'reason' in expected ? ` ${expected.reason}` : ''}`, () => {
          const s = snapshot({ status, accountState, balance, creditLimit, activeCredit });
          expect(authorize(s)).toEqual(expected);
          expect(accountActive(s)).toBe(accountState === 'active' && funded);
        });
      }
    }
  }

  it('rejects an active, funded subscriber without a tariff with no_tariff', () => {
    expect(authorize(snapshot({ tariff: null }))).toEqual({ kind: 'reject', reason: 'no_tariff' });
  });

  it('still sends a blocked or suspended subscriber without a tariff to the portal, and still rejects a disabled one', () => {
    expect(authorize(snapshot({ tariff: null, balance: -1 }))).toEqual(BLOCKED);
    expect(authorize(snapshot({ tariff: null, accountState: 'blocked' }))).toEqual(BLOCKED);
    expect(authorize(snapshot({ tariff: null, status: 'suspended' }))).toEqual(SUSPENDED);
    expect(authorize(snapshot({ tariff: null, status: 'disabled' }))).toEqual(DISABLED);
  });

  it('fails closed on a status it does not know', () => {
    const s = snapshot({ status: 'archived' as SubscriberStatus });
    expect(authorize(s)).toEqual({ kind: 'reject', reason: 'unknown_status' });
  });

  it('answers with shared frozen decisions (no allocation per request)', () => {
    const a = authorize(snapshot());
    expect(authorize(snapshot({ username: 'bob' }))).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('ignores `now` (the snapshot carries the unexpired credits already)', () => {
    expect(authorize(snapshot({ balance: -10, activeCredit: 10 }), new Date('2100-01-01T00:00:00Z'))).toEqual(ACCEPT);
  });
});

describe('macAllowed', () => {
  const bound = snapshot({ mac: 'aa:bb:cc:0d:0e:0f' });

  it('allows anything, even no Calling-Station-Id, when the subscriber has no binding', () => {
    expect(macAllowed(snapshot(), undefined)).toBe(true);
    expect(macAllowed(snapshot(), 'not a mac')).toBe(true);
  });

  it.each([
    'aa:bb:cc:0d:0e:0f',
    'AA:BB:CC:0D:0E:0F',
    'AA-BB-CC-0D-0E-0F',
    'aabb.cc0d.0e0f',
    'AABB.CC0D.0E0F',
    'aabbcc-0d0e0f',
    'aabbcc0d0e0f',
    'aa:bb:cc:d:e:f',
    ' aa:bb:cc:0d:0e:0f ',
  ])('matches the binding written as %j', (csid) => {
    expect(macAllowed(bound, csid)).toBe(true);
  });

  it.each([
    ['another MAC', 'aa:bb:cc:0d:0e:10'],
    ['no Calling-Station-Id', undefined],
    ['an empty one', ''],
    ['a phone number', '+15551234567'],
    ['mixed separators', 'aa:bb-cc:0d:0e:0f'],
    ['too few octets', 'aa:bb:cc:0d:0e'],
    ['a three-digit group', 'aa:bbb:cc:0d:0e:0f'],
    ['non-hex digits', 'gg:bb:cc:0d:0e:0f'],
    ['a MAC with an SSID suffix', 'AA-BB-CC-0D-0E-0F:guest'],
    ['dotted octets', 'aa.bb.cc.0d.0e.0f'],
  ])('refuses %s', (_label, csid) => {
    expect(macAllowed(bound, csid)).toBe(false);
  });

  it('fails closed when the stored binding itself is not a MAC', () => {
    expect(macAllowed(snapshot({ mac: 'garbage' }), 'garbage')).toBe(false);
  });

  it('normalises to lower-case colon form', () => {
    expect(normalizeMac('0011.22AA.bbCC')).toBe('00:11:22:aa:bb:cc');
    expect(normalizeMac('0:1:2:3:4:5')).toBe('00:01:02:03:04:05');
    expect(normalizeMac('00112233445')).toBeUndefined();
    expect(normalizeMac('0011223344556')).toBeUndefined();
  });
});
