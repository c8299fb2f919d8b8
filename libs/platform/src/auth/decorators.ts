import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Role } from '@recourse/contracts';
import { CommonErrors, ProblemException } from '../http/problem';
import { Principal } from './principal';

export const ROLES_KEY = 'recourse:roles';
export const PUBLIC_KEY = 'recourse:public';

/** The roles that may call a route or controller. A route with neither @Roles nor @Public is refused. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route anyone may call without a token (health, metrics, docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The verified caller. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ principal: Principal }>().principal;
});

/** The calling merchant's id, from the token's `merchantId` claim; a merchant token without one is refused. */
export const CurrentMerchant = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<{ principal: Principal }>().principal;
  if (!principal.merchantId) throw new ProblemException(CommonErrors.Forbidden, 'the token carries no merchantId claim');
  return principal.merchantId;
});
