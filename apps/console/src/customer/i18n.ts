// The customer page's words, Chinese first (the wallet's default) and English, in locales/*.json. A key
// missing from either dictionary is a type error, so neither language can fall behind the other.
import { Locale, Message, messageFormat, Params } from '../lib/message-format';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

export type { Locale };
export const LOCALES: Locale[] = ['zh-CN', 'en'];

/** Chinese is the reference: its keys are the page's words, and English must have each of them. */
type Dictionary = Record<keyof typeof zhCN.messages, Message>;
export type MessageKey = keyof Dictionary;
export type NextStepKey = keyof typeof zhCN.steps;

interface Language {
  messages: Dictionary;
  /** The API's values (statuses, reasons, outcomes) as a customer reads them. */
  values: Record<keyof typeof zhCN.values, string>;
  /** What happens next, by status, until intake serves the dispute's own `nextStep` (CONTRACT §11). */
  steps: Record<NextStepKey, Message>;
}

const languages: Record<Locale, Language> = { 'zh-CN': zhCN, en };

export interface Words {
  t: (key: MessageKey, params?: Params) => string;
  /** An API value's label, or the value itself when it has none. */
  label: (value: string) => string;
  nextStep: (key: NextStepKey, params?: Params) => string;
}

export function wordsFor(locale: Locale): Words {
  const { messages, values, steps } = languages[locale];
  const format = messageFormat(locale);
  return {
    t: (key, params) => format(messages[key], params),
    label: (value) => (values as Record<string, string>)[value] ?? value,
    nextStep: (key, params) => format(steps[key], params),
  };
}

/** `?lang=`, else the token's `locale` claim, else Chinese. */
export function chooseLocale(requested: string | null, claimed: unknown): Locale {
  const known = (value: unknown): value is Locale => LOCALES.includes(value as Locale);
  if (known(requested)) return requested;
  if (known(claimed)) return claimed;
  return 'zh-CN';
}
