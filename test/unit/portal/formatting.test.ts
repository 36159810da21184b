/** Money, messages and escaping: the portal's pure formatting. */
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from '../../../src/portal/html.js';
import { pickLocale, t } from '../../../src/portal/i18n.js';
import { formatMoney, minorDigits, minorToDecimal } from '../../../src/portal/money.js';

describe('money', () => {
  it('builds the decimal from the integer, without floats', () => {
    expect(minorToDecimal(0, 2)).toBe('0.00');
    expect(minorToDecimal(5, 2)).toBe('0.05');
    expect(minorToDecimal(-5, 2)).toBe('-0.05');
    expect(minorToDecimal(-150050, 2)).toBe('-1500.50');
    expect(minorToDecimal(1234, 0)).toBe('1234');
    expect(minorToDecimal(1, 3)).toBe('0.001');
    expect(minorToDecimal(2n ** 63n - 1n, 2)).toBe('92233720368547758.07');
  });

  it('refuses a number that is not a safe integer', () => {
    expect(() => minorToDecimal(1.5, 2)).toThrow(RangeError);
    expect(() => minorToDecimal(2 ** 60, 2)).toThrow(RangeError);
  });

  it("uses the currency's minor digits", () => {
    expect(minorDigits('USD')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('BHD')).toBe(3);
  });

  it('formats for the locale', () => {
    expect(formatMoney(1999, 'USD', 'en')).toBe('$19.99');
    expect(formatMoney(-1500, 'USD', 'en')).toBe('-$15.00');
    expect(formatMoney(1234, 'JPY', 'en')).toBe('¥1,234');
    expect(formatMoney(-150050, 'RUB', 'ru').replace(/\s/g, ' ')).toBe('-1 500,50 ₽');
    // A sum beyond 2^53 keeps every digit (a float would not).
    expect(formatMoney(9_007_199_254_740_993n, 'EUR', 'en')).toBe('€90,071,992,547,409.93');
  });
});

describe('messages', () => {
  it('picks the best supported language by q-value, English otherwise', () => {
    expect(pickLocale(undefined)).toBe('en');
    expect(pickLocale('ru-RU,ru;q=0.9,en-US;q=0.8')).toBe('ru');
    expect(pickLocale('de-DE,de;q=0.9,ru;q=0.5,en;q=0.7')).toBe('en');
    expect(pickLocale('de-DE,fr;q=0.9')).toBe('en');
    expect(pickLocale('en;q=0.1, RU;q=0.2')).toBe('ru');
    expect(pickLocale('ru;q=0')).toBe('en');
  });

  it('fills placeholders and leaves unknown ones', () => {
    expect(t('en', 'promisedOffer', { amount: '$20.00', days: 3 })).toBe('Get $20.00 of credit for 3 days and restore access now; pay before it expires.');
    expect(t('ru', 'promisedTooSoon', {})).toContain('{date}');
  });
});

describe('html', () => {
  it('escapes every interpolated value', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const name = '<script>alert(1)</script>';
    expect(html`<p title="${name}">${name}</p>`.text).toBe('<p title="&lt;script&gt;alert(1)&lt;/script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('keeps nested templates and lists as markup, drops null, undefined and false', () => {
    const items = ['a<', 'b>'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>${null}${undefined}${false}${raw('<hr>')}${0}`.text).toBe('<ul><li>a&lt;</li><li>b&gt;</li></ul><hr>0');
  });
});
