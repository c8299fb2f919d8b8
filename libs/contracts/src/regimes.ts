/** Where a payment was made, as the wallet core may tell it on `payment.recorded` (CONTRACT §11). */
export const JURISDICTIONS = ['US', 'EU', 'CN'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

/** The rules whose clocks a dispute follows: chosen by its payment's jurisdiction, else `platform`. */
export const REGIMES = ['reg_e', 'psd2', 'pboc', 'platform'] as const;
export type Regime = (typeof REGIMES)[number];
