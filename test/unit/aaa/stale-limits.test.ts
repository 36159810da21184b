import { describe, expect, it } from 'vitest';
import { profileInterimInterval, shortestStaleSeconds, staleLimits, staleSecondsFor } from '../../../src/aaa/stale-limits.js';

const nas = [
  { name: 'mt-1', vendor: 'mikrotik' },
  { name: 'mx-1', vendor: 'juniper' },
  { name: 'plain', vendor: 'generic' },
];

describe('stale limits', () => {
  it("every built-in profile sends Acct-Interim-Interval 300: four missed interims, 1200 s, for every NAS", () => {
    const limits = staleLimits({ sessions: { staleAfterMissedInterims: 4 } }, nas);
    expect(limits).toEqual({ defaultSeconds: 1200, byNas: {} });
    expect(staleSecondsFor(limits, 'mt-1')).toBe(1200);
  });

  it("a vendor profile's interimInterval var, or a literal in its accept template, gives that vendor's NAS their own limit", () => {
    const vendors = { mikrotik: { vars: { interimInterval: 900 } }, juniper: { accept: { 'acct-interim-interval': 60 } } };
    expect(profileInterimInterval('mikrotik', vendors)).toBe(900);
    expect(profileInterimInterval('juniper', vendors)).toBe(60);
    const limits = staleLimits({ sessions: { staleAfterMissedInterims: 4 }, vendors }, nas);
    expect(limits.defaultSeconds).toBe(1200);
    expect({ ...limits.byNas }).toEqual({ 'mt-1': 3600, 'mx-1': 240 });
    expect([staleSecondsFor(limits, 'mt-1'), staleSecondsFor(limits, 'mx-1'), staleSecondsFor(limits, 'plain'), staleSecondsFor(limits, 'unknown')]).toEqual([3600, 240, 1200, 1200]);
    expect(shortestStaleSeconds(limits)).toBe(240);
  });

  it('never below 60 s; a profile without Acct-Interim-Interval (or an unusable one) counts as 300 s', () => {
    const vendors = { mikrotik: { vars: { interimInterval: 5 } }, juniper: { accept: { 'Acct-Interim-Interval': null } }, generic: { vars: { interimInterval: 'soon' } } };
    expect(profileInterimInterval('juniper', vendors)).toBeUndefined();
    expect(profileInterimInterval('generic', vendors)).toBeUndefined();
    const limits = staleLimits({ sessions: { staleAfterMissedInterims: 2 }, vendors }, nas);
    expect(limits.defaultSeconds).toBe(600);
    expect({ ...limits.byNas }).toEqual({ 'mt-1': 60 });
  });

  it('sessions.staleAfterSeconds is one limit for every NAS', () => {
    const vendors = { mikrotik: { vars: { interimInterval: 900 } } };
    expect(staleLimits({ sessions: { staleAfterMissedInterims: 4, staleAfterSeconds: 7200 }, vendors }, nas)).toEqual({ defaultSeconds: 7200, byNas: {} });
  });

  it('a NAS called like a property of every object is a name like any other', () => {
    const limits = staleLimits({ sessions: { staleAfterMissedInterims: 4 }, vendors: { mikrotik: { vars: { interimInterval: 60 } } } }, [{ name: 'constructor', vendor: 'mikrotik' }]);
    expect(staleSecondsFor(limits, 'constructor')).toBe(240);
    expect(staleSecondsFor(limits, 'toString')).toBe(1200);
  });
});
