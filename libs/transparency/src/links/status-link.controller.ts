import { Controller, Delete, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, type Principal, workers } from '@taskinbox/auth';
import { StatusLinks } from './status-link.service';

export class StatusLinkView {
  @ApiProperty({
    description: 'The end-user status page. Shown once; asking again replaces it.',
    example: 'https://tasks.example.com/status/Zq8XlT3vR1mP9sK2bW7yN4cD6fH0jA5eG8iL1oU3tQx',
  })
  url!: string;
}

/** Who may share a task with its end user: people who work tasks, and the service that sent it. */
const sharers = { roles: workers, scopes: ['tasks:write' as const] };

@ApiTags('transparency')
@ApiBearerAuth()
@Controller('api/tasks/:id/status-link')
export class StatusLinkController {
  constructor(private readonly links: StatusLinks) {}

  @ApiOperation({ summary: "A new status link for the task's end user (replaces the previous one)." })
  @ApiCreatedResponse({ type: StatusLinkView })
  @ApiNotFoundResponse({ description: 'Unknown task, or one the caller may not see.' })
  @Allow(sharers)
  @Post()
  issue(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<StatusLinkView> {
    return this.links.issue(principal, id);
  }

  @ApiOperation({ summary: "Revokes the task's status link: it answers 404 from now on." })
  @ApiNoContentResponse({ description: 'Revoked (or there was none).' })
  @ApiNotFoundResponse({ description: 'Unknown task, or one the caller may not see.' })
  @Allow(sharers)
  @HttpCode(204)
  @Delete()
  async revoke(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.links.revoke(principal, id);
  }
}
