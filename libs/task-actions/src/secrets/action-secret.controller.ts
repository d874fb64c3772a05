import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal } from '@taskinbox/auth';
import { ActionSecrets } from './action-secret.store';

class ActionSecretView {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'Standard Webhooks secret that signs every call of a custom action.' })
  secret!: string;
}

@ApiTags('task types')
@ApiBearerAuth()
@Controller('api')
export class ActionSecretController {
  constructor(private readonly secrets: ActionSecrets) {}

  @ApiOperation({ summary: "The organisation's secret for verifying custom actions' calls (made on first read)." })
  @ApiOkResponse({ type: ActionSecretView })
  @Allow({ roles: ['admin'] })
  @Get('settings/action-secret')
  async get(@CurrentPrincipal() principal: Principal): Promise<ActionSecretView> {
    return { secret: await this.secrets.secretOf(principal.orgId) };
  }
}
