/**
 * The console's small building blocks: labelled fields (every control has a label), the API's errors shown as
 * it words them, money and dates in the operator's locale, tables that become label/value cards on a phone, and
 * a hook that loads data and keeps its error.
 */
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure } from '../api/client';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import { formatMoney } from '../money';

export interface Settings {
  readonly currency: string;
}

export const SettingsContext = createContext<Settings>({ currency: 'USD' });

export function useSettings(): Settings {
  return useContext(SettingsContext);
}

let fieldSeq = 0;

/** A stable id for a label's `for`. */
export function useId(prefix: string): string {
  const ref = useRef<string | null>(null);
  ref.current ??= `${prefix}-${++fieldSeq}`;
  return ref.current;
}

interface InputProps {
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  readonly hint?: string;
  readonly type?: 'text' | 'password' | 'number' | 'search' | 'datetime-local' | 'date';
  readonly inputMode?: 'text' | 'numeric' | 'decimal' | 'search';
  readonly autoComplete?: string;
  readonly required?: boolean;
  readonly autoFocus?: boolean;
  readonly readOnly?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
}

export function Field({ label, value, onValue, hint, type = 'text', ...rest }: InputProps) {
  const id = useId('f');
  const attrs: Readonly<Record<string, string | number | boolean>> = { type, ...rest };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input {...attrs} id={id} value={value} onInput={(e) => onValue(e.currentTarget.value)} {...(hint ? { 'aria-describedby': `${id}-hint` } : {})} />
      {hint ? (
        <small id={`${id}-hint`} class="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

export function Select<V extends string>({ label, value, onValue, options }: { readonly label: string; readonly value: V; readonly onValue: (v: V) => void; readonly options: readonly (readonly [V, string])[] }) {
  const id = useId('s');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onValue(e.currentTarget.value as V)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Checkbox({ label, checked, onValue }: { readonly label: string; readonly checked: boolean; readonly onValue: (v: boolean) => void }) {
  const id = useId('c');
  return (
    <div class="field check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onValue(e.currentTarget.checked)} />
      <label for={id}>{label}</label>
    </div>
  );
}

/** An error as the API words it (its code and message), or any other failure's message. */
export function ErrorNote({ error }: { readonly error: unknown }) {
  const { t } = useI18n();
  if (error === null || error === undefined) return null;
  if (error instanceof ApiFailure) {
    return (
      <p class="error" role="alert" data-error-code={error.code}>
        {error.code === 'NETWORK' ? t('error.network') : error.message}
        {error.field ? <span class="field-name"> ({error.field})</span> : null}
      </p>
    );
  }
  return (
    <p class="error" role="alert">
      {error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error)}
    </p>
  );
}

export function Notice({ children }: { readonly children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  );
}

export function Money({ minor }: { readonly minor: number | null | undefined }) {
  const { intl } = useI18n();
  const { currency } = useSettings();
  if (minor === null || minor === undefined) return <span>—</span>;
  return <span class={minor < 0 ? 'money negative' : 'money'}>{formatMoney(minor, currency, intl)}</span>;
}

export function When({ at }: { readonly at: string | null | undefined }) {
  const { intl } = useI18n();
  return at ? <time dateTime={at}>{formatDateTime(at, intl)}</time> : <span>—</span>;
}

export interface Column<T> {
  readonly label: string;
  readonly render: (row: T) => ComponentChildren;
  readonly className?: string;
}

/** A table; on a narrow screen each row is a card with the column labels beside the values (CSS, data-label). */
export function Table<T>({ rows, columns, rowKey, caption, empty }: { readonly rows: readonly T[]; readonly columns: readonly Column<T>[]; readonly rowKey: (row: T) => string | number; readonly caption?: string; readonly empty?: string }) {
  const { t } = useI18n();
  if (rows.length === 0) return <p class="empty">{empty ?? t('common.none')}</p>;
  return (
    <table class="table">
      {caption ? <caption>{caption}</caption> : null}
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.label} scope="col">
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((c) => (
              <td key={c.label} data-label={c.label} class={c.className}>
                {c.render(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Section({ title, children, id }: { readonly title: string; readonly children: ComponentChildren; readonly id?: string }) {
  const hid = useId('h');
  return (
    <section class="card" aria-labelledby={hid} {...(id ? { 'data-section': id } : {})}>
      <h2 id={hid}>{title}</h2>
      {children}
    </section>
  );
}

export function Tabs<K extends string>({ tabs, active, onSelect, label }: { readonly tabs: readonly (readonly [K, string])[]; readonly active: K; readonly onSelect: (k: K) => void; readonly label: string }) {
  return (
    <div class="tabs" role="tablist" aria-label={label}>
      {tabs.map(([k, text]) => (
        <button key={k} type="button" role="tab" aria-selected={k === active} class={k === active ? 'tab active' : 'tab'} onClick={() => onSelect(k)}>
          {text}
        </button>
      ))}
    </div>
  );
}

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

/** Runs `load` when `deps` change (and on reload()); the newest answer wins. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: null, loading: true });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  useEffect(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => {
        if (mine === seq.current) setState({ data, error: null, loading: false });
      },
      (error: unknown) => {
        if (mine === seq.current) setState({ data: undefined, error, loading: false });
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** A form's submit: runs `action`, keeps its error and whether it is running. */
export function useAction<A extends unknown[]>(action: (...args: A) => Promise<void>): { run: (...args: A) => void; busy: boolean; error: unknown; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = (...args: A) => {
    setBusy(true);
    setError(null);
    action(...args).then(
      () => setBusy(false),
      (err: unknown) => {
        setBusy(false);
        setError(err);
      },
    );
  };
  return { run, busy, error, clear: () => setError(null) };
}

/** Submit handler that stops the browser's own submission. */
export function onSubmit(fn: () => void): (e: Event) => void {
  return (e) => {
    e.preventDefault();
    fn();
  };
}
