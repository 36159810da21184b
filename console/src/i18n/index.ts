/**
 * The console's languages: English and Russian dictionaries with the same keys (the compiler checks that each
 * has every key), picked by the operator's choice (kept in localStorage) or else the browser's language.
 * Messages are plain text with `{name}` placeholders; Preact escapes them like any other text.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type Key } from './en';
import { ru } from './ru';

export type { Key } from './en';
export const LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];
const DICTIONARIES: Readonly<Record<Locale, Readonly<Record<Key, string>>>> = { en, ru };
const STORAGE_KEY = 'tollgate.locale';

export interface I18n {
  readonly locale: Locale;
  /** The locale for Intl (numbers, money, dates): the browser's own when it is a variant of `locale` (en-GB). */
  readonly intl: string;
  readonly t: (key: Key, vars?: Readonly<Record<string, string | number>>) => string;
}

export function translator(locale: Locale): I18n {
  const dict = DICTIONARIES[locale];
  const browser = typeof navigator === 'undefined' ? locale : navigator.language;
  const intl = browser.toLowerCase().startsWith(locale) ? browser : locale;
  return {
    locale,
    intl,
    t: (key, vars) => {
      const text = dict[key];
      return vars ? text.replace(/\{(\w+)\}/g, (all, name: string) => (name in vars ? String(vars[name]) : all)) : text;
    },
  };
}

/** Whether a string built at run time (a reason code from the API) is a key of the dictionaries. */
export function isKey(key: string): key is Key {
  return Object.hasOwn(en, key);
}

export function initialLocale(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'ru') return stored;
  return navigator.languages.some((l) => l.toLowerCase().startsWith('ru')) ? 'ru' : 'en';
}

export function storeLocale(locale: Locale): void {
  localStorage.setItem(STORAGE_KEY, locale);
}

export const I18nContext = createContext<I18n>(translator('en'));

export function useI18n(): I18n {
  return useContext(I18nContext);
}
