import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { CONFIG, type Config } from '@taskinbox/config';
import type { Role } from '@taskinbox/domain';
import type { Principal } from '../principal';

interface SessionClaims {
  sub: string;
  org: string;
  role: Role;
}

/** Signed session tokens for people using the SPA; one token is bound to one organisation. */
@Injectable()
export class SessionService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  issue(userId: string, orgId: string, role: Role): { accessToken: string; expiresIn: number } {
    const claims: SessionClaims = { sub: userId, org: orgId, role };
    return {
      accessToken: this.jwt.sign(claims, { secret: this.config.jwtSecret, expiresIn: this.config.jwtTtlSeconds }),
      expiresIn: this.config.jwtTtlSeconds,
    };
  }

  /** The principal for a valid token; null for an expired, forged or malformed one. */
  verify(token: string): Principal | null {
    try {
      const claims = this.jwt.verify<SessionClaims>(token, { secret: this.config.jwtSecret, algorithms: ['HS256'] });
      return { orgId: claims.org, actor: { kind: 'user', id: claims.sub, role: claims.role }, scopes: [] };
    } catch {
      return null;
    }
  }
}
