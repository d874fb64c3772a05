import type { Principal } from '@taskinbox/auth';

/**
 * Gives a new task's end user a status link when its creator asks for one (`statusLink: true`).
 * libs/transparency provides it; an app without it refuses the field.
 */
export interface StatusLinkIssuer {
  issue(principal: Principal, taskId: string): Promise<{ url: string }>;
}

export const STATUS_LINK_ISSUER = Symbol('taskinbox.status-link-issuer');
