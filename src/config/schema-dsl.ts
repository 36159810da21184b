/**
 * A small schema language for the config file: each node validates one value, reports every problem with
 * the dotted key it belongs to, and carries its TypeScript type so `Infer<typeof schema>` is the Config type.
 */

export interface Issue {
  readonly key: string;
  readonly message: string;
}

export interface Node<T> {
  readonly kind: string;
  /** Returns the validated value (defaults applied) or undefined after pushing issues. */
  parse(value: unknown, key: string, issues: Issue[]): T | undefined;
  readonly optional?: boolean;
  readonly describe: string;
}

export type Infer<N> = N extends Node<infer T> ? T : never;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
}

export function str(opts: { default?: string; enum?: readonly string[]; minLength?: number; pattern?: RegExp; hint?: string } = {}): Node<string> {
  return {
    kind: 'string',
    describe: opts.enum ? `one of ${opts.enum.join(', ')}` : 'a string',
    parse(value, key, issues) {
      if (value === undefined) {
        if (opts.default !== undefined) return opts.default;
        issues.push({ key, message: 'is required' });
        return undefined;
      }
      if (typeof value === 'number' && !opts.enum) value = String(value);
      if (typeof value !== 'string') {
        issues.push({ key, message: `must be ${this.describe}, got ${typeOf(value)}` });
        return undefined;
      }
      if (opts.enum && !opts.enum.includes(value)) {
        issues.push({ key, message: `must be one of ${opts.enum.join(', ')}, got ${JSON.stringify(value)}` });
        return undefined;
      }
      if (opts.minLength !== undefined && value.length < opts.minLength) {
        issues.push({ key, message: `must be at least ${opts.minLength} characters${opts.hint ? ` (${opts.hint})` : ''}` });
        return undefined;
      }
      if (opts.pattern && !opts.pattern.test(value)) {
        issues.push({ key, message: `${JSON.stringify(value)} is not valid${opts.hint ? `: ${opts.hint}` : ''}` });
        return undefined;
      }
      return value;
    },
  };
}

export function int(opts: { default?: number; min?: number; max?: number } = {}): Node<number> {
  const range = `an integer${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}${opts.max !== undefined ? ` ≤ ${opts.max}` : ''}`;
  return {
    kind: 'integer',
    describe: range,
    parse(value, key, issues) {
      if (value === undefined) {
        if (opts.default !== undefined) return opts.default;
        issues.push({ key, message: 'is required' });
        return undefined;
      }
      const n = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
        issues.push({ key, message: `must be ${range}, got ${typeOf(value)}` });
        return undefined;
      }
      return n;
    },
  };
}

export function bool(opts: { default?: boolean } = {}): Node<boolean> {
  return {
    kind: 'boolean',
    describe: 'true or false',
    parse(value, key, issues) {
      if (value === undefined) {
        if (opts.default !== undefined) return opts.default;
        issues.push({ key, message: 'is required' });
        return undefined;
      }
      if (value === 'true' || value === 'false') return value === 'true';
      if (typeof value !== 'boolean') {
        issues.push({ key, message: `must be true or false, got ${typeOf(value)}` });
        return undefined;
      }
      return value;
    },
  };
}

/** A value that may be absent (or null): yields undefined without an issue. */
export function optional<T>(inner: Node<T>): Node<T | undefined> {
  return {
    kind: inner.kind,
    describe: inner.describe,
    optional: true,
    parse(value, key, issues) {
      if (value === undefined || value === null) return undefined;
      return inner.parse(value, key, issues);
    },
  };
}

export function list<T>(item: Node<T>, opts: { default?: T[] } = {}): Node<T[]> {
  return {
    kind: 'list',
    describe: `a list of ${item.describe}`,
    parse(value, key, issues) {
      if (value === undefined || value === null) {
        if (opts.default !== undefined) return opts.default;
        issues.push({ key, message: 'is required' });
        return undefined;
      }
      if (!Array.isArray(value)) {
        issues.push({ key, message: `must be a list, got ${typeOf(value)}` });
        return undefined;
      }
      const out: T[] = [];
      let ok = true;
      value.forEach((v, i) => {
        const r = item.parse(v, `${key}[${i}]`, issues);
        if (r === undefined && !item.optional) ok = false;
        else out.push(r as T);
      });
      return ok ? out : undefined;
    },
  };
}

/** A mapping from free-form names to values (e.g. reply attributes). */
export function record<T>(item: Node<T>, opts: { default?: Record<string, T> } = {}): Node<Record<string, T>> {
  return {
    kind: 'record',
    describe: `a mapping of names to ${item.describe}`,
    parse(value, key, issues) {
      if (value === undefined || value === null) {
        if (opts.default !== undefined) return opts.default;
        issues.push({ key, message: 'is required' });
        return undefined;
      }
      if (typeof value !== 'object' || Array.isArray(value)) {
        issues.push({ key, message: `must be a mapping, got ${typeOf(value)}` });
        return undefined;
      }
      const out: Record<string, T> = {};
      let ok = true;
      for (const [k, v] of Object.entries(value)) {
        const r = item.parse(v, `${key}.${k}`, issues);
        if (r === undefined) ok = false;
        else out[k] = r;
      }
      return ok ? out : undefined;
    },
  };
}

/** Accepts any scalar (string, number, boolean) as is: attribute values are checked against the dictionary later. */
export function scalar(): Node<string | number | boolean> {
  return {
    kind: 'scalar',
    describe: 'a string or number',
    parse(value, key, issues) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
      issues.push({ key, message: `must be a string or number, got ${typeOf(value)}` });
      return undefined;
    },
  };
}

type Shape = Record<string, Node<unknown>>;
type ObjectOf<S extends Shape> = { readonly [K in keyof S]: Infer<S[K]> };

/** A mapping with known keys; unknown keys are reported (a typo must not be ignored silently). */
export function obj<S extends Shape>(shape: S, opts: { defaultEmpty?: boolean } = { defaultEmpty: true }): Node<ObjectOf<S>> {
  return {
    kind: 'object',
    describe: 'a mapping',
    parse(value, key, issues) {
      if (value === undefined || value === null) {
        if (!opts.defaultEmpty) {
          issues.push({ key, message: 'is required' });
          return undefined;
        }
        value = {};
      }
      if (typeof value !== 'object' || Array.isArray(value)) {
        issues.push({ key, message: `must be a mapping, got ${typeOf(value)}` });
        return undefined;
      }
      const input = value as Record<string, unknown>;
      const prefix = key ? `${key}.` : '';
      for (const k of Object.keys(input)) {
        if (!(k in shape)) {
          const known = Object.keys(shape).join(', ');
          issues.push({ key: `${prefix}${k}`, message: `is not a known key (known here: ${known})` });
        }
      }
      const out: Record<string, unknown> = {};
      let ok = true;
      for (const [k, node] of Object.entries(shape)) {
        const before = issues.length;
        const r = node.parse(input[k], `${prefix}${k}`, issues);
        if (issues.length > before) ok = false;
        if (r !== undefined) out[k] = r;
      }
      return ok ? (out as ObjectOf<S>) : undefined;
    },
  };
}
