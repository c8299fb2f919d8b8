// Filling a message in a language: its {placeholders}, and its plural form by the language's own rules.
// Kept apart from the dictionaries, so the customer page does not load the console's words.

export type Locale = 'en' | 'zh-CN';

/** A message, or one per plural category (Intl.PluralRules) of its `count` parameter; `other` is always there. */
export type Message = string | ({ other: string } & Partial<Record<Intl.LDMLPluralRule, string>>);
export type Params = Record<string, string | number>;

/**
 * Fills a message's {placeholders} from `params`; a plural message takes the form the language's rules give
 * for `params.count` (English "1 case", "2 cases"), or `other` without a count. A placeholder without a
 * value stays visible, so a missing parameter is noticed.
 */
export function messageFormat(locale: Locale): (message: Message, params?: Params) => string {
  const plural = new Intl.PluralRules(locale);
  return (message, params = {}) => {
    const count = params.count;
    const template = typeof message === 'string' ? message : (typeof count === 'number' ? message[plural.select(count)] : undefined) ?? message.other;
    return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
  };
}
