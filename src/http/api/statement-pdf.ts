/**
 * A day-by-day statement as a printable PDF (pdfkit, its built-in Helvetica: no font files, no network): a header
 * with the account, the period and its time zone, the opening and closing balances and the period's totals, then
 * a table with one row per day that had a movement, repeated column heads on every page, and page numbers.
 * Amounts are the decimal text of the integer minor units (the currency's digits), never a float.
 */
import PDFDocument from 'pdfkit';
import type { DailyStatement } from '../../domain/console.js';
import { minorDigits, minorToDecimal } from '../../domain/money.js';

const COLUMNS = [
  { key: 'day', title: 'Day', width: 70 },
  { key: 'openingBalance', title: 'Opening', width: 66 },
  { key: 'charges', title: 'Charges', width: 58 },
  { key: 'fees', title: 'Fees', width: 58 },
  { key: 'payments', title: 'Payments', width: 62 },
  { key: 'adjustments', title: 'Adjustments', width: 66 },
  { key: 'credits', title: 'Credits', width: 52 },
  { key: 'closingBalance', title: 'Closing', width: 66 },
] as const;

const MARGIN = 40;
const ROW = 16;

/** The statement as PDF bytes. */
export function statementPdf(s: DailyStatement, currency: string, generatedAt: Date): Promise<Buffer> {
  const digits = minorDigits(currency);
  const money = (minor: number): string => minorToDecimal(minor, digits);
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, bufferPages: true, info: { Title: `Statement of account ${s.accountId}, ${s.from} to ${s.to}`, Producer: 'Tollgate' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(16).text('Account statement', MARGIN, MARGIN);
  doc.font('Helvetica').fontSize(10).moveDown(0.5);
  doc.text(`Account: ${s.accountId}`);
  doc.text(`Period: ${s.from} to ${s.to} (days of ${s.timeZone})`);
  doc.text(`Currency: ${currency}`);
  doc.text(`Generated: ${generatedAt.toISOString()}`);
  doc.moveDown(0.5);
  doc.font('Helvetica-Bold').text(`Opening balance: ${money(s.openingBalance)} ${currency}`);
  doc.text(`Closing balance: ${money(s.closingBalance)} ${currency}`);
  doc.font('Helvetica');
  const t = s.totals;
  doc.text(`Charges ${money(t.charges)}, fees ${money(t.fees)}, payments ${money(t.payments)}, adjustments ${money(t.adjustments)}; temporary credit granted ${money(t.credits)} (not money: it does not move the balance).`, {
    width: doc.page.width - 2 * MARGIN,
  });
  doc.moveDown(1);

  let y = doc.y;
  const bottom = () => doc.page.height - MARGIN - ROW;
  const heads = (): void => {
    doc.font('Helvetica-Bold').fontSize(9);
    let x = MARGIN;
    for (const c of COLUMNS) {
      doc.text(c.title, x, y, { width: c.width - 4, align: c.key === 'day' ? 'left' : 'right', lineBreak: false });
      x += c.width;
    }
    y += ROW;
    doc.moveTo(MARGIN, y - 4).lineTo(MARGIN + COLUMNS.reduce((w, c) => w + c.width, 0), y - 4).stroke();
    doc.font('Helvetica').fontSize(9);
  };
  heads();
  if (s.days.length === 0) doc.text('No movements in this period.', MARGIN, y);
  for (const d of s.days) {
    if (y > bottom()) {
      doc.addPage();
      y = MARGIN;
      heads();
    }
    let x = MARGIN;
    for (const c of COLUMNS) {
      const value = c.key === 'day' ? d.day : money(d[c.key]);
      doc.text(value, x, y, { width: c.width - 4, align: c.key === 'day' ? 'left' : 'right', lineBreak: false });
      x += c.width;
    }
    y += ROW;
  }
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin: without the margin pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    doc.fontSize(8).text(`Account ${s.accountId} — page ${i + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN + 10, { lineBreak: false });
  }
  doc.end();
  return done;
}

/** The statement as CSV (RFC 4180: a header row, CRLF line ends); amounts as decimal text. */
export function statementCsv(s: DailyStatement, currency: string): string {
  const digits = minorDigits(currency);
  const money = (minor: number): string => minorToDecimal(minor, digits);
  const lines = ['day,opening_balance,charges,fees,payments,adjustments,credits,closing_balance'];
  for (const d of s.days) {
    lines.push([d.day, money(d.openingBalance), money(d.charges), money(d.fees), money(d.payments), money(d.adjustments), money(d.credits), money(d.closingBalance)].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
