// The console's two languages, their dictionaries in locales/*.json. A key missing from zh-CN is a type
// error, so the dictionaries stay whole.
import { createContext, useContext } from 'react';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';
import { Locale, Message, messageFormat, Params } from './message-format';

export type { Locale };

/** English is the reference: its keys are the console's messages, and every language must have each of them. */
type Dictionary = Record<keyof typeof en.messages, Message>;
interface Language {
  messages: Dictionary;
  /** Labels for API values (statuses, reasons, outcomes), shown instead of the snake_case codes. */
  values: Record<string, string>;
}

const languages: Record<Locale, Language> = { en, 'zh-CN': zhCN };

export type MessageKey = keyof Dictionary;

/** Each language by its own name, as a caller recognises it whatever the console's language. */
export const LANGUAGE_NAMES: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };
export type Translate = (key: MessageKey, params?: Params) => string;

export function translator(locale: Locale): { t: Translate; label: (value: string) => string } {
  const { messages, values } = languages[locale];
  const format = messageFormat(locale);
  return {
    t: (key, params) => format(messages[key], params),
    label: (value) => values[value] ?? value,
  };
}

export interface I18n {
  locale: Locale;
  t: Translate;
  label: (value: string) => string;
}

export const I18nContext = createContext<I18n>({ locale: 'en', ...translator('en') });
export const useI18n = () => useContext(I18nContext);
