import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '../principal';
import { PeopleDirectory } from './people.directory';

class PersonView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Sam' }) name!: string;
  @ApiProperty({ example: 'sam@example.com' }) email!: string;
  @ApiProperty({ enum: ['admin', 'member', 'viewer'], example: 'member' }) role!: string;
  @ApiProperty({ type: [String], description: 'Ids of the groups the person is in.', example: ['8c0d5e2a-1b3f-4a6c-9d7e-2f4a6b8c0d1e'] })
  groups!: string[];
}

class GroupEntryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'refunds desk' }) name!: string;
}

class PeopleView {
  @ApiProperty({ type: [PersonView] }) people!: PersonView[];
  @ApiProperty({ type: [GroupEntryView] }) groups!: GroupEntryView[];
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/people')
export class PeopleController {
  constructor(private readonly people: PeopleDirectory) {}

  @ApiOperation({ summary: 'Who tasks can be assigned to: the people who can act in the organisation (with their groups), and its groups.' })
  @ApiOkResponse({ type: PeopleView })
  @Allow({ roles: everyone })
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<PeopleView> {
    return this.people.list(principal.orgId);
  }
}
