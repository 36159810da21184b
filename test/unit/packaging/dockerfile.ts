/**
 * Just enough of the Dockerfile and .dockerignore formats to check the image's essentials without a Docker
 * engine: instructions with line continuations and comments, stages, JSON (exec) form arguments, and
 * .dockerignore matching (Go filepath.Match patterns, `**`, `!` exceptions, the last matching line wins,
 * a path is excluded when one of its parent directories is).
 */

export interface Instruction {
  /** Upper-cased instruction name (FROM, COPY, …). */
  readonly name: string;
  /** The arguments as written, continuations joined. */
  readonly raw: string;
  /** The arguments in exec (JSON array) form, when they are written that way. */
  readonly json: readonly string[] | null;
  /** Index of the build stage (FROM) the instruction belongs to; -1 before the first FROM (ARG). */
  readonly stage: number;
  /** 1-based line where the instruction starts. */
  readonly line: number;
}

export interface Stage {
  readonly index: number;
  readonly image: string;
  readonly name: string | null;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
}

function parseJsonArray(raw: string): string[] | null {
  if (!raw.trimStart().startsWith('[')) return null;
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null;
  } catch {
    return null;
  }
}

export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split(/\r?\n/);
  const instructions: Instruction[] = [];
  let stage = -1;
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i] as string;
    if (/^\s*(#.*)?$/.test(first)) continue; // blank lines, comments and parser directives
    const start = i + 1;
    let logical = first;
    // A trailing backslash continues the instruction; comment lines inside a continuation are skipped.
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) {
      logical = logical.replace(/\\\s*$/, ' ');
      i++;
      const next = lines[i] as string;
      if (/^\s*#/.test(next)) {
        logical += '\\';
        continue;
      }
      logical += next;
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(logical);
    if (!m) throw new Error(`Dockerfile line ${start}: cannot parse ${JSON.stringify(first)}`);
    const name = (m[1] as string).toUpperCase();
    const raw = (m[2] as string).trim();
    if (name === 'FROM') stage++;
    instructions.push({ name, raw, json: parseJsonArray(raw), stage, line: start });
  }
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.name !== 'FROM') continue;
    const words = ins.raw.split(/\s+/).filter((w) => !w.startsWith('--'));
    const asAt = words.findIndex((w) => w.toUpperCase() === 'AS');
    stages.push({
      index: ins.stage,
      image: words[0] ?? '',
      name: asAt > 0 ? (words[asAt + 1] ?? null) : null,
      instructions: instructions.filter((x) => x.stage === ins.stage),
    });
  }
  return { instructions, stages };
}

/** COPY/ADD: the `--flag=value` options, the sources and the destination. */
export function copyArgs(ins: Instruction): { flags: Map<string, string>; sources: string[]; dest: string } {
  const flags = new Map<string, string>();
  let words: string[];
  if (ins.json) {
    words = [...ins.json];
  } else {
    words = ins.raw.split(/\s+/).filter((w) => w !== '');
    while (words[0]?.startsWith('--')) {
      const [k, v = ''] = (words.shift() as string).slice(2).split('=', 2);
      flags.set(k as string, v);
    }
  }
  const dest = words.pop();
  if (dest === undefined || words.length === 0) throw new Error(`line ${ins.line}: ${ins.name} needs a source and a destination`);
  return { flags, sources: words, dest };
}

// ---- .dockerignore -------------------------------------------------------------------------------------

interface IgnoreRule {
  readonly exclude: boolean;
  readonly regex: RegExp;
  readonly pattern: string;
}

function globToRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        // `**` matches any number of directories (including none).
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else {
          re += '.*';
        }
      } else {
        re += '[^/]*';
      }
    } else if (c === '?') {
      re += '[^/]';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) throw new Error(`.dockerignore: unterminated [ in ${pattern}`);
      re += pattern.slice(i, end + 1).replace(/^\[!/, '[^');
      i = end;
    } else if (c === '\\') {
      i++;
      re += (pattern[i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

function cleanPath(p: string): string {
  return p
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const exclude = !t.startsWith('!');
    const pattern = cleanPath(exclude ? t : t.slice(1).trim());
    if (pattern === '') continue;
    rules.push({ exclude, regex: globToRegex(pattern), pattern });
  }
  return rules;
}

/** True when `path` (relative to the context root) is left out of the build context. */
export function isIgnored(rules: readonly IgnoreRule[], path: string): boolean {
  const parts = cleanPath(path).split('/');
  // The path or any of its parent directories matched by the last applicable rule.
  let ignored = false;
  for (const rule of rules) {
    for (let n = 1; n <= parts.length; n++) {
      if (rule.regex.test(parts.slice(0, n).join('/'))) {
        ignored = rule.exclude;
        break;
      }
    }
  }
  return ignored;
}
