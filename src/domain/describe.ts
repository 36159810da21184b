/** How a value looks in a validation message, the same wording at every entry point (schema/, the tariff plan). */

/** `got string "12"`, `got 1.5`, `got null`; long strings are cut at 40 characters. */
export function describeValue(v: unknown): string {
  if (v === null) return 'got null';
  if (v === undefined) return 'got nothing';
  if (Array.isArray(v)) return 'got an array';
  if (typeof v === 'object') return 'got an object';
  if (typeof v === 'string') return `got string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number') return `got ${v}`;
  if (typeof v === 'boolean') return `got boolean ${v}`;
  return `got ${typeof v}`;
}

/** Like describeValue without the value (`got a string`, `got a number`), for secrets. */
export function describeType(v: unknown): string {
  if (v === null) return 'got null';
  if (Array.isArray(v)) return 'got an array';
  return `got ${typeof v === 'object' ? 'an object' : `a ${typeof v}`}`;
}
