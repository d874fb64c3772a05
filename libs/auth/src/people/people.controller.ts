import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, everyone, type Principal } from '../principal';
import { PeopleDirectory } from './people.directory';

class PersonView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ['admin', 'member', 'viewer'] }) role!: string;
  @ApiProperty({ type: [String], description: 'Ids of the groups the person is in.' }) groups!: string[];
}

class GroupEntryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
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
