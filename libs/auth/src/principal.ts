import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Actor, Role } from '@taskinbox/domain';

export type Scope = 'tasks:read' | 'tasks:write';
export const scopes: readonly Scope[] = ['tasks:read', 'tasks:write'];

/**
 * Who is calling, always bound to exactly one organisation. For people it is read from their
 * current membership on every request (cached briefly), never from what the token said at sign-in.
 */
export interface Principal {
  orgId: string;
  actor: Actor;
  /** Empty for users: their role decides. */
  scopes: readonly Scope[];
  /**
   * People whose membership is limited to tasks assigned to them or their groups
   * (memberships.assigned_only): the assignee keys they see (`user:<id>`, `group:<id>`,
   * `legacy:<email>`, as inbox_tasks.assignees and assigneeKeys in libs/domain write them).
   */
  assignedTo?: readonly string[];
  /** People only: the session the request runs in, which signing out or an admin can end. */
  session?: PrincipalSession;
}

export interface PrincipalSession {
  id: string;
  expiresAt: string;
  /** A generated password still in use: every route but the password change is refused. */
  mustChangePassword: boolean;
}

export const actorRef = (actor: Actor): string => `${actor.kind}:${actor.id}`;

export interface AccessRule {
  /** Users with one of these roles may call. */
  roles?: readonly Role[];
  /** Services whose API key has one of these scopes may call. Omit to refuse services. */
  scopes?: readonly Scope[];
}

/** Whether `rule` lets `principal` in: people by role, services by scope. */
export function permits(rule: AccessRule, principal: Principal): boolean {
  const { actor } = principal;
  if (actor.kind === 'user') return rule.roles?.includes(actor.role) ?? false;
  return rule.scopes?.some((scope) => principal.scopes.includes(scope)) ?? false;
}

export const ACCESS_RULE = 'taskinbox:access';
export const PUBLIC_ROUTE = 'taskinbox:public';
export const QUERY_TOKEN = 'taskinbox:query-token';
export const BEFORE_PASSWORD_CHANGE = 'taskinbox:before-password-change';

/** Every protected handler says who may call it; the guard refuses handlers without a rule. */
export const Allow = (rule: AccessRule) => SetMetadata(ACCESS_RULE, rule);
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/**
 * Also accepts the credential as `?access_token=` on this route, for browsers' EventSource,
 * which cannot send headers. Opt-in per route: URLs end up in logs and histories.
 */
export const AcceptQueryToken = () => SetMetadata(QUERY_TOKEN, true);
/** Open to a person who must still change a generated password (the change itself, who am I, sign-out). */
export const AllowBeforePasswordChange = () => SetMetadata(BEFORE_PASSWORD_CHANGE, true);

export const workers: readonly Role[] = ['admin', 'member'];
export const everyone: readonly Role[] = ['admin', 'member', 'viewer'];

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const request =
    context.getType() === 'rpc' ? context.switchToRpc().getContext() : context.switchToHttp().getRequest();
  return request.principal as Principal;
});
