import { Locale } from '@recourse/contracts';
import { formatMoney } from '@recourse/domain';
// Imported, not read from disk: tsc emits the JSON beside the compiled code, so dist needs no copy step.
import en from './templates/en.json';
import zhCN from './templates/zh-CN.json';

export type TemplateKey = keyof typeof en;

export interface Text {
  title: string;
  body: string;
}

/** Every locale must word every message: a key missing from one file fails to compile here. */
const TEMPLATES: Record<Locale, Record<TemplateKey, Text>> = { en, 'zh-CN': zhCN };

export const TEMPLATE_KEYS = Object.keys(en) as TemplateKey[];

export interface TextParams {
  /** Money is formatted for the locale: ¥1,299.50 in zh-CN, CNY 1,299.50 in en. */
  money?: Record<string, { amount: number; currency: string }>;
  text?: Record<string, string>;
}

export function templateOf(key: TemplateKey, locale: Locale): Text {
  return TEMPLATES[locale][key];
}

/** The title and body of one customer notification in `locale`; unknown placeholders render empty. */
export function renderText(key: TemplateKey, locale: Locale, params: TextParams = {}): Text {
  const values: Record<string, string> = { ...params.text };
  for (const [name, money] of Object.entries(params.money ?? {})) values[name] = formatMoney(money.amount, money.currency, locale);
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '').replace(/ {2,}/g, ' ').trim();
  const template = templateOf(key, locale);
  return { title: fill(template.title), body: fill(template.body) };
}
