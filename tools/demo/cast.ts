// Who and what the demo's disputes are about: nine merchants, eight customers (and the incident's subscribers),
// their payments, and SLAs short enough to watch.

export interface Merchant {
  id: string;
  name: string;
}

export interface Customer {
  id: string;
  locale: 'zh-CN' | 'en';
}

export const MERCHANTS = {
  books: { id: 'm-xinhua-books', name: '新华书店 Xinhua Books' },
  rail: { id: 'm-east-rail', name: 'East Rail Tickets' },
  games: { id: 'm-star-games', name: '星辰游戏 Star Games' },
  appliances: { id: 'm-meijia-appliances', name: '美家电器 MeiJia Appliances' },
  noodles: { id: 'm-lanzhou-noodles', name: 'Lanzhou Noodle House' },
  tea: { id: 'm-lotus-tea', name: '莲花茶馆 Lotus Tea House' },
  fruit: { id: 'm-fresh-fruit', name: 'Fresh Fruit Express' },
  bikes: { id: 'm-berlin-bikes', name: 'Berlin Bike Rental' },
  streaming: { id: 'm-sunrise-video', name: '朝阳视频 Sunrise Video' },
} satisfies Record<string, Merchant>;

/** A customer, and the language of their wallet app. */
const customer = (id: string, locale: Customer['locale']): Customer => ({ id, locale });

export const CUSTOMERS = {
  lin: customer('c-lin-wei', 'zh-CN'),
  emma: customer('c-emma-chen', 'en'),
  zhang: customer('c-zhang-min', 'zh-CN'),
  li: customer('c-li-na', 'zh-CN'),
  oliver: customer('c-oliver-smith', 'en'),
  wang: customer('c-wang-fang', 'zh-CN'),
  sophie: customer('c-sophie-martin', 'en'),
  lukas: customer('c-lukas-weber', 'en'),
};

export interface PlannedPayment {
  customer: Customer;
  merchant: Merchant;
  amount: number;
  secondsAgo: number;
  status?: 'failed';
  debited?: boolean;
  failureReason?: 'network_error';
  currency?: string;
  /** Picks the dispute's regulatory regime (CONTRACT §11): `EU` is PSD2. */
  jurisdiction?: 'US' | 'EU' | 'CN';
}

export const PAYMENTS = {
  bookFirst: { customer: CUSTOMERS.lin, merchant: MERCHANTS.books, amount: 12950, secondsAgo: 70 },
  bookTwice: { customer: CUSTOMERS.lin, merchant: MERCHANTS.books, amount: 12950, secondsAgo: 30 },
  train: { customer: CUSTOMERS.emma, merchant: MERCHANTS.rail, amount: 26800, status: 'failed', debited: true, failureReason: 'network_error', secondsAgo: 300 },
  gems: { customer: CUSTOMERS.zhang, merchant: MERCHANTS.games, amount: 68000, secondsAgo: 3600 },
  riceCooker: { customer: CUSTOMERS.li, merchant: MERCHANTS.appliances, amount: 258000, secondsAgo: 86_400 },
  dinner: { customer: CUSTOMERS.oliver, merchant: MERCHANTS.noodles, amount: 35900, secondsAgo: 7200 },
  teaSet: { customer: CUSTOMERS.wang, merchant: MERCHANTS.tea, amount: 48800, secondsAgo: 172_800 },
  mangoes: { customer: CUSTOMERS.sophie, merchant: MERCHANTS.fruit, amount: 8600, secondsAgo: 259_200 },
  bikeRental: { customer: CUSTOMERS.lukas, merchant: MERCHANTS.bikes, amount: 9000, currency: 'EUR', jurisdiction: 'EU', secondsAgo: 5400 },
} satisfies Record<string, PlannedPayment>;

export type PaymentKey = keyof typeof PAYMENTS;

// Days become seconds, so that deadlines pass while you watch.
export const SLAS = { SLA_MERCHANT_RESPONSE: 'PT20S', SLA_PROVISIONAL_CREDIT: 'PT6S', SLA_RESOLUTION: 'PT45S', APPEAL_WINDOW: 'PT30S' };

export const money = (amount: number, currency = 'CNY'): string => new Intl.NumberFormat(currency === 'CNY' ? 'zh-CN' : 'en', { style: 'currency', currency }).format(amount / 100);
