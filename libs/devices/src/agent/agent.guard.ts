import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import { devicesErrors } from '../devices.errors';
import type { DeviceCaller } from '../runs/run.commands';
import { AgentSessions } from './agent-session.service';

/**
 * Lets through only a current device access token (`Authorization: Bearer tid_…`) of an enrolled
 * device, and records which device it is. People's tokens and API keys are refused here, and a
 * device token is refused everywhere else (the global guard knows none).
 */
@Injectable()
export class AgentGuard implements CanActivate {
  constructor(private readonly sessions: AgentSessions) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; device?: DeviceCaller }>();
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const device = token ? await this.sessions.authenticate(token) : undefined;
    if (!device) throw devicesErrors.deviceAuthFailed();
    request.device = device;
    return true;
  }
}

export const CurrentDevice = createParamDecorator(
  (_: unknown, context: ExecutionContext): DeviceCaller => context.switchToHttp().getRequest<{ device: DeviceCaller }>().device,
);
