import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Role } from '@recourse/contracts';
import type { Request } from 'express';
import { CommonErrors, ProblemException } from '../http/problem';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';
import { JwtVerifier } from './jwt-verifier';
import { hasRole, Principal } from './principal';

/**
 * The global guard: every HTTP route needs a valid token and one of its declared roles, unless it is
 * @Public. Routes that declare no roles are refused, so a forgotten decorator cannot open a route.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JwtVerifier) private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_\-.=]+)$/.exec(header);
    const principal = match ? await this.verifier.verify(match[1]) : null;
    if (!principal) throw new ProblemException(CommonErrors.Unauthorized, 'A valid bearer token is required', undefined, { 'WWW-Authenticate': 'Bearer' });
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    if (!hasRole(principal, ...roles)) throw new ProblemException(CommonErrors.Forbidden);
    return true;
  }
}
