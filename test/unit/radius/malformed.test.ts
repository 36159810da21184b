/**
 * Malformed datagrams as data (test/fixtures/radius/malformed.txt): each line is `<hex>  <code or ok>  # why`,
 * and parsePacket must throw a RadiusError with exactly that code (or parse, for `ok`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePacket, RadiusError, RadiusErrorCodes } from '../../../src/radius/index.js';

interface Case {
  readonly line: number;
  readonly bytes: Buffer;
  readonly expected: string;
  readonly why: string;
}

function readCases(): Case[] {
  const path = fileURLToPath(new URL('../../fixtures/radius/malformed.txt', import.meta.url));
  const cases: Case[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '' || text.startsWith('#')) return;
      const hash = text.indexOf('#');
      const why = hash === -1 ? '' : text.slice(hash + 1).trim();
      const [hexText, expected, ...rest] = (hash === -1 ? text : text.slice(0, hash)).trim().split(/\s+/);
      if (hexText === undefined || expected === undefined || rest.length > 0 || !/^([0-9a-f]{2})+$/i.test(hexText)) {
        throw new Error(`malformed.txt:${i + 1}: expected "<hex>  <code>  # why"`);
      }
      if (expected !== 'ok' && !(expected in RadiusErrorCodes)) throw new Error(`malformed.txt:${i + 1}: unknown code ${expected}`);
      cases.push({ line: i + 1, bytes: Buffer.from(hexText, 'hex'), expected, why });
    });
  return cases;
}

const cases = readCases();

describe('parsePacket on malformed.txt', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  it.each(cases.map((c) => [`line ${c.line}: ${c.why}`, c] as const))('%s', (_name, c) => {
    if (c.expected === 'ok') {
      const packet = parsePacket(c.bytes);
      expect(packet.raw.length).toBe(c.bytes.readUInt16BE(2));
      return;
    }
    let error: unknown;
    try {
      parsePacket(c.bytes);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RadiusError);
    expect((error as RadiusError).code).toBe(c.expected);
  });
});

describe('padding and size limits', () => {
  it('trims octets beyond Length (RFC 2865 §3) and parses the attributes inside it only', () => {
    const packet = parsePacket(Buffer.from('0100001a000102030405060708090a0b0c0d0e0f01066e656d6f' + '0102ffff', 'hex'));
    expect(packet.raw.length).toBe(26);
    expect(packet.attributes).toHaveLength(1);
    expect(packet.attributes[0]?.value.toString()).toBe('nemo');
  });

  it('accepts a 4096-octet packet, and one padded beyond 4096', () => {
    const buf = Buffer.alloc(5000);
    buf[0] = 4;
    buf.writeUInt16BE(4096, 2);
    let off = 20;
    while (off + 255 <= 4096) {
      buf[off] = 26;
      buf[off + 1] = 255;
      off += 255;
    }
    buf[off] = 18;
    buf[off + 1] = 4096 - off;
    expect(parsePacket(buf.subarray(0, 4096)).attributes).toHaveLength(16);
    expect(parsePacket(buf).raw.length).toBe(4096);
  });
});
