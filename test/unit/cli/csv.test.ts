/** The import CSV reader (RFC 4180) and the export encoder: quoting both ways, line numbers, errors. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../src/cli/csv.js';
import { readImportCsv } from '../../../src/cli/import-csv.js';
import { DataError } from '../../../src/cli/common.js';
import { csvField, encodeSessionExport, CSV_HEADER } from '../../../src/domain/session-export.js';
import type { Session } from '../../../src/domain/ports.js';
import type { Tariff } from '../../../src/domain/types.js';

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, embedded commas and line breaks, CRLF and LF, and a BOM', () => {
    const text = '\ufeffa,b,c\r\n"x,1","say ""hi""","two\nlines"\n\n,,\nlast,row,"" \n';
    expect(() => parseCsv(text)).toThrow(/line 6: text after a closing quote/);
    expect(parseCsv('\ufeffa,b,c\r\n"x,1","say ""hi""","two\nlines"\n\n,,\nlast,row,""\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x,1', 'say "hi"', 'two\nlines'] },
      { line: 5, fields: ['', '', ''] },
      { line: 6, fields: ['last', 'row', ''] },
    ]);
  });

  it('keeps a last record without a line break, and counts lines inside quoted fields', () => {
    expect(parseCsv('a\n"1\n2\n3"\nz')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: ['1\n2\n3'] },
      { line: 5, fields: ['z'] },
    ]);
  });

  it('names the line of a stray or unclosed quote', () => {
    expect(() => parseCsv('a,b\nx,y"z\n')).toThrow('line 2: a quote inside an unquoted field');
    expect(() => parseCsv('a,b\nx,"open\nmore\n')).toThrow('line 2: a quoted field is not closed');
  });
});

describe('readImportCsv', () => {
  const tariffs = [{ id: 3, name: 'basic' }] as Tariff[];
  const problems = (text: string): readonly string[] => {
    try {
      readImportCsv(text, tariffs);
    } catch (err) {
      if (err instanceof DataError) return err.problems;
      throw err;
    }
    return [];
  };

  it('maps columns by the header, in any order and case, trimming all but passwords', () => {
    expect(readImportCsv('Tariff, USERNAME ,password,nt_hash\n 3 , ann , p w ,\nbasic,bo,,0X8846F7EAEE8FB117AD06BDD830B7586C\n', tariffs)).toEqual([
      { where: 'line 2', username: 'ann', password: ' p w ', tariffId: 3 },
      { where: 'line 3', username: 'bo', ntHash: '8846F7EAEE8FB117AD06BDD830B7586C', tariffId: 3 },
    ]);
  });

  it('reports every problem at once', () => {
    expect(problems('username,password,status,balance\nann,p,gone,1e3\n,p,,\n')).toEqual([
      'line 2: balance must be an integer ≥ -9007199254740991, got "1e3"',
      'line 2: status must be one of active, suspended, disabled, got "gone"',
      'line 3: username is empty',
    ]);
    expect(problems('username,password,username\n')).toEqual(['line 1: column username appears twice']);
    expect(problems('username,password\n')).toEqual(['line 1: nothing follows the header']);
  });
});

describe('session export encoding', () => {
  const session = (id: number, username: string, stoppedAt: string | null): Session => ({
    id, username, nas: 'bras', acctSessionId: `a${id}`, framedIp: '100.64.0.1', callingStationId: null, nasPort: null,
    startedAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', stoppedAt, terminateCause: null,
    inputOctets: 1, outputOctets: 2, sessionTime: 3, subscriberId: null, accountId: null,
  });
  async function text(pages: Session[][], format: 'csv' | 'json'): Promise<string> {
    let out = '';
    for await (const chunk of encodeSessionExport(Readable.from(pages), format)) out += chunk;
    return out;
  }

  it('quotes per RFC 4180 only when needed and leaves values as they are', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
    expect(csvField('cr\rlf\n')).toBe('"cr\rlf\n"');
    expect(csvField('=SUM(A1)')).toBe('=SUM(A1)');
  });

  it('writes the header alone, or [] for an empty export', async () => {
    expect(await text([], 'csv')).toBe(CSV_HEADER);
    expect(await text([[]], 'json')).toBe('[]\n');
  });

  it('writes rows across pages as one CSV and one JSON array', async () => {
    const pages = [[session(1, 'a', null)], [session(2, 'b,c', '2025-01-01T01:00:00.000Z')]];
    expect(await text(pages, 'csv')).toBe(
      `${CSV_HEADER}1,a,100.64.0.1,,bras,,a1,2025-01-01T00:00:00.000Z,,1,2,3,\r\n2,"b,c",100.64.0.1,,bras,,a2,2025-01-01T00:00:00.000Z,2025-01-01T01:00:00.000Z,1,2,3,\r\n`,
    );
    const json = JSON.parse(await text(pages, 'json')) as { id: number; username: string }[];
    expect(json.map((s) => [s.id, s.username])).toEqual([[1, 'a'], [2, 'b,c']]);
    expect(Object.keys(json[0]!)).toEqual(['id', 'username', 'framedIp', 'callingStationId', 'nas', 'nasPort', 'acctSessionId', 'startedAt', 'stoppedAt', 'inputOctets', 'outputOctets', 'sessionTime', 'terminateCause']);
  });
});
