import { Locale, Role } from '@recourse/contracts';

/** Who is calling, from a verified bearer token (CONTRACT §1). */
export interface Principal {
  sub: string;
  roles: Role[];
  merchantId?: string;
  locale?: Locale;
}

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return roles.some((role) => principal.roles.includes(role));
}
