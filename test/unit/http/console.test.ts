/**
 * The pure parts of the console's read routes: what a search text is read as, the bucket width of a dashboard
 * range, the statement CSV in a currency without minor digits, and every reason code's sentence documented in
 * docs/api.md word for word.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REASON_TEXTS, reasonText } from '../../../src/aaa/reason-text.js';
import { bucketSeconds } from '../../../src/domain/console.js';
import { interpret } from '../../../src/http/api/console-search.js';
import { statementCsv, statementPdf } from '../../../src/http/api/statement-pdf.js';

describe('search text', () => {
  it('is a login prefix always, and an IP, a MAC or an id when it can be', () => {
    expect(interpret(' alice ')).toEqual({ loginPrefix: 'alice' });
    expect(interpret('100.64.0.1')).toEqual({ loginPrefix: '100.64.0.1', ip: '100.64.0.1' });
    expect(interpret('2001:db8::1')).toEqual({ loginPrefix: '2001:db8::1', ip: '2001:db8::1' });
    for (const mac of ['aa:bb:cc:dd:ee:ff', 'AA-BB-CC-DD-EE-FF', 'aabb.ccdd.eeff', 'aabbcc-ddeeff', 'AABBCCDDEEFF']) {
      expect(interpret(mac).macHex, mac).toBe('aabbccddeeff');
    }
    expect(interpret('42')).toEqual({ loginPrefix: '42', id: 42 });
    // Twelve digits are a MAC as well as a number.
    expect(interpret('001122334455')).toEqual({ loginPrefix: '001122334455', macHex: '001122334455' });
    expect(interpret('123456789012')).toMatchObject({ macHex: '123456789012', id: 123456789012 });
  });
});

describe('dashboard buckets', () => {
  it('are a minute up to a day, then a wider whole minute, at most 1440 of them', () => {
    const at = (h: number) => new Date(Date.UTC(2030, 0, 1) + h * 3_600_000);
    expect(bucketSeconds(at(0), at(1))).toBe(60);
    expect(bucketSeconds(at(0), at(24))).toBe(60);
    expect(bucketSeconds(at(0), at(48))).toBe(120);
    expect(bucketSeconds(at(0), at(24 * 31))).toBe(1860);
  });
});

describe('statement CSV', () => {
  it('writes amounts with the currency’s minor digits (none for JPY)', () => {
    const csv = statementCsv(
      {
        accountId: 1,
        from: '2025-01-01',
        to: '2025-01-31',
        timeZone: 'Asia/Tokyo',
        openingBalance: -5,
        closingBalance: 995,
        totals: { charges: 0, fees: 0, payments: 1000, adjustments: 0, credits: 0 },
        days: [{ day: '2025-01-02', openingBalance: -5, charges: 0, fees: 0, payments: 1000, adjustments: 0, credits: 0, closingBalance: 995 }],
      },
      'JPY',
    );
    expect(csv).toBe('day,opening_balance,charges,fees,payments,adjustments,credits,closing_balance\r\n2025-01-02,-5,0,0,1000,0,0,995\r\n');
  });
});

describe('statement PDF', () => {
  it('runs a year of days over several A4 pages, each numbered', async () => {
    const days = Array.from({ length: 366 }, (_, i) => {
      const day = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
      return { day, openingBalance: i * 100, charges: 0, fees: 0, payments: 100, adjustments: 0, credits: 0, closingBalance: (i + 1) * 100 };
    });
    const pdf = await statementPdf(
      { accountId: 9, from: '2024-01-01', to: '2024-12-31', timeZone: 'UTC', openingBalance: 0, closingBalance: 36600, totals: { charges: 0, fees: 0, payments: 36600, adjustments: 0, credits: 0 }, days },
      'EUR',
      new Date('2025-01-01T00:00:00Z'),
    );
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
    expect(pages).toBeGreaterThanOrEqual(7);
    expect(pages).toBeLessThanOrEqual(12);
  });
});

describe('reason texts', () => {
  const docs = readFileSync(join(import.meta.dirname, '../../../docs/api.md'), 'utf8');
  const documented = new Map([...docs.matchAll(/^\| `([a-z_]+)` \| ([^|]+) \|$/gm)].map((m) => [m[1], m[2]!.trim()]));

  it.each(Object.entries(REASON_TEXTS))('%s is documented in docs/api.md with its sentence', (code, text) => {
    expect(documented.get(code)).toBe(text);
  });

  it('has a sentence for an accept (none) and for a code it does not know', () => {
    expect(reasonText(null)).toBeNull();
    expect(reasonText('from_the_future')).toBe('Refused for the reason "from_the_future"');
  });
});
