import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NatsContext } from '@nestjs/microservices';
import { ApiKeyService } from './api-keys/api-key.service';
import { PasswordChangeRequired } from './auth.errors';
import { ACCESS_RULE, type AccessRule, BEFORE_PASSWORD_CHANGE, permits, type Principal, PUBLIC_ROUTE, QUERY_TOKEN } from './principal';
import { SessionService } from './sessions/session.service';

/**
 * Authenticates every HTTP request and NATS message (`Authorization: Bearer <api key or session token>`,
 * or `?access_token=` on routes marked AcceptQueryToken) and applies the handler's access rule.
 * Handlers without a rule are refused, so a forgotten rule fails closed. A person's role comes
 * from their membership as it is now (SessionService), not from when they signed in.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyService,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const holder = this.holder(context, this.reflector.getAllAndOverride<boolean>(QUERY_TOKEN, targets) ?? false);
    const principal = await this.authenticate(holder.authorization);
    if (!principal) throw new UnauthorizedException('Missing or invalid credentials: send Authorization: Bearer <token or API key>.');
    if (principal.session?.mustChangePassword && !this.reflector.getAllAndOverride<boolean>(BEFORE_PASSWORD_CHANGE, targets)) {
      throw new PasswordChangeRequired();
    }

    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, targets);
    if (!rule || !permits(rule, principal)) {
      throw new ForbiddenException(
        principal.actor.kind === 'user'
          ? `Your role '${principal.actor.role}' may not do this.`
          : `This API key lacks the scope for this (needs one of: ${rule?.scopes?.join(', ') || 'a user session'}).`,
      );
    }
    holder.target.principal = principal;
    return true;
  }

  private holder(
    context: ExecutionContext,
    acceptQueryToken: boolean,
  ): { authorization: string | undefined; target: { principal?: Principal } } {
    if (context.getType() === 'rpc') {
      const nats = context.switchToRpc().getContext<NatsContext & { principal?: Principal }>();
      return { authorization: nats.getHeaders()?.get('Authorization') || undefined, target: nats };
    }
    const request = context.switchToHttp().getRequest<{
      headers: Record<string, string | undefined>;
      query?: Record<string, unknown>;
      principal?: Principal;
    }>();
    const queryToken = acceptQueryToken ? request.query?.access_token : undefined;
    const authorization =
      request.headers.authorization ?? (typeof queryToken === 'string' ? `Bearer ${queryToken}` : undefined);
    return { authorization, target: request };
  }

  private async authenticate(authorization: string | undefined): Promise<Principal | null> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return null;
    const credential = match[1];
    return credential.startsWith('tib_') ? this.apiKeys.verify(credential) : this.sessions.verify(credential);
  }
}

