/**
 * Pulls metric references out of PromQL expressions (alert rules, Grafana targets): each selector's metric
 * name with its label matchers. Not a full PromQL parser: enough for the expressions this repository writes
 * (selectors, functions, aggregations with by/without, vector matching, offsets, Grafana variables).
 */

export interface Matcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

export interface MetricReference {
  readonly metric: string;
  readonly matchers: readonly Matcher[];
}

const KEYWORDS = new Set([
  // aggregation operators
  'sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile', 'limitk', 'limit_ratio',
  // binary and set operators, modifiers
  'and', 'or', 'unless', 'atan2', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset',
  // literals
  'inf', 'nan',
]);

/** Grafana's template variables ($job, ${datasource}, $__rate_interval, [[var]]) as PromQL-neutral text. */
export function stripGrafanaVariables(expr: string): string {
  return expr
    .replace(/\$__(rate_interval|interval|range)\b/g, '5m')
    .replace(/\$\{[^}]+\}|\$[A-Za-z_][A-Za-z0-9_]*|\[\[[^\]]+\]\]/g, 'VAR');
}

function parseMatchers(body: string, expr: string): Matcher[] {
  const matchers: Matcher[] = [];
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/gy;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(body)) !== null && m[0] !== '') {
    matchers.push({ label: m[1] as string, op: m[2] as Matcher['op'], value: m[3] as string });
    consumed = re.lastIndex;
  }
  if (body.slice(consumed).trim() !== '') throw new Error(`cannot parse label matchers {${body}} in ${expr}`);
  return matchers;
}

export function metricReferences(rawExpr: string): MetricReference[] {
  const expr = stripGrafanaVariables(rawExpr);
  const refs: MetricReference[] = [];
  // Selectors with matchers first: name{...} (a bare {...} selector would hide its name: not used here).
  let rest = expr.replace(/([A-Za-z_:][A-Za-z0-9_:]*)?\s*\{([^}]*)\}/g, (_all, name: string | undefined, body: string) => {
    if (name === undefined || KEYWORDS.has(name)) throw new Error(`selector without a metric name in ${rawExpr}`);
    refs.push({ metric: name, matchers: parseMatchers(body, rawExpr) });
    return ' ';
  });
  rest = rest
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ') // string literals (label_replace arguments…)
    .replace(/\[[^\]]*\]/g, ' ') // range and subquery durations
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // grouping label lists
    .replace(/\boffset\s+-?\d+[smhdwy]/g, ' ')
    .replace(/(^|[^A-Za-z0-9_:])\d+(\.\d+)?([eE][+-]?\d+)?([smhdwy]|ms)?(?![A-Za-z0-9_:])/g, '$1 '); // numbers, durations
  for (const m of rest.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)) {
    const name = m[1] as string;
    if (m[2] !== undefined || KEYWORDS.has(name.toLowerCase())) continue; // a function call or an operator
    refs.push({ metric: name, matchers: [] });
  }
  return refs;
}

/** Grafana's label_values(metric, label) / label_values(label) template queries. */
export function labelValuesReferences(query: string): MetricReference[] {
  const m = /^\s*label_values\(\s*(.*?)\s*(?:,\s*([A-Za-z_][A-Za-z0-9_]*)\s*)?\)\s*$/.exec(query);
  if (!m) throw new Error(`not a label_values() query: ${query}`);
  if (m[2] === undefined) return [];
  return metricReferences(m[1] as string);
}
