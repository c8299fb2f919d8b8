import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Role } from '@recourse/contracts';
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
