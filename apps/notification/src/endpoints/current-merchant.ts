import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { CommonErrors, Principal, ProblemException } from '@recourse/platform';

/** The calling merchant's id, from the token's `merchantId` claim; a merchant token without one is refused. */
export const CurrentMerchant = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const principal = context.switchToHttp().getRequest<{ principal: Principal }>().principal;
  if (!principal.merchantId) throw new ProblemException(CommonErrors.Forbidden, 'the token carries no merchantId claim');
  return principal.merchantId;
});
